"""A minimal gdb-remote client for the stub tests: framing, checksums and
escapes, so tests can send exact (and malformed) packets and see the raw
replies LLDB would get."""

import socket


def checksum(data):
    return sum(data) & 0xFF


def frame(payload):
    """`$payload#cs`, payload given as bytes (already escaped as needed)."""
    return b"$" + payload + b"#%02x" % checksum(payload)


def is_output(payload):
    """An `O` console-output packet (not "OK")."""
    body = payload[1:]
    return (payload[:1] == b"O" and len(body) % 2 == 0 and len(body) > 0
            and all(c in b"0123456789abcdef" for c in body))


def escape(data):
    out = bytearray()
    for b in data:
        if b in b"$#}*":
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    return bytes(out)


def unescape(data):
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x7D and i + 1 < len(data):
            out.append(data[i + 1] ^ 0x20)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


class RspClient:
    def __init__(self, url, timeout=30):
        if url.startswith("connect://"):
            host, port = url[len("connect://"):].rsplit(":", 1)
            self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        elif url.startswith("unix-connect://"):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(url[len("unix-connect://"):])
        else:
            raise ValueError(url)
        self.buffer = b""
        self.acks = True
        self.output = b""

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the stub closed the connection")
        self.buffer += chunk

    def read_packet(self):
        """The next packet's payload (unescaped), skipping acks."""
        while True:
            start = self.buffer.find(b"$")
            if start >= 0:
                end = self.buffer.find(b"#", start)
                if end >= 0 and len(self.buffer) >= end + 3:
                    payload = self.buffer[start + 1:end]
                    cs = int(self.buffer[end + 1:end + 3], 16)
                    self.buffer = self.buffer[end + 3:]
                    if cs != checksum(payload):
                        raise AssertionError("bad checksum from the stub")
                    if self.acks:
                        self.send_raw(b"+")
                    return unescape(payload)
            self._fill()

    def read_ack(self):
        while not self.buffer:
            self._fill()
        c, self.buffer = self.buffer[:1], self.buffer[1:]
        return c

    def request(self, payload):
        """Sends a packet and returns the reply payload (bytes). Console
        output packets (`O` + hex) before the reply are collected in
        self.output."""
        if isinstance(payload, str):
            payload = payload.encode()
        self.send_raw(frame(escape(payload)))
        if self.acks:
            ack = self.read_ack()
            if ack != b"+":
                raise AssertionError("expected an ack, got %r" % ack)
        while True:
            reply = self.read_packet()
            if is_output(reply):
                self.output += bytes.fromhex(reply[1:].decode())
                continue
            return reply

    def no_ack_mode(self):
        assert self.request("QStartNoAckMode") == b"OK"
        self.acks = False
