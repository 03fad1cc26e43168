// WASI file-system calls that should work, run by real guests inside a
// preopened directory: the raw-import probe (wasi/fsprobe.c) checks each
// call's errno and results, and a plain libc program (wasi/libcdemo.c)
// checks the host against wasi-libc's own use of the imports.
#include "WasiTestSupport.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;
using Lines = std::vector<std::string>;

class WasiFsTest : public ::testing::Test {
protected:
  void SetUp() override {
    SKIP_WITHOUT_GUEST("fsprobe");
    sandbox = tmp.path() / "sandbox";
    other = tmp.path() / "other";
    fs::create_directories(sandbox / "a" / "b");
    fs::create_directories(other);
    writeFile(sandbox / "inside.txt", "inside");
    fs::create_symlink("inside.txt", sandbox / "link_in");
  }

  Lines probe(std::vector<std::string> commands, WasiConfig config = {}) {
    config.args = {"fsprobe"};
    config.args.insert(config.args.end(), commands.begin(), commands.end());
    config.preopens = {{sandbox.string(), "/sandbox"}, {other.string(), "/other"}};
    WasiGuest guest("fsprobe", std::move(config));
    EXPECT_TRUE(guest.ok()) << guest.loadError;
    if (!guest.ok())
      return {};
    auto status = guest.run();
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().describe());
    return lines(guest.out);
  }

  TempDir tmp;
  fs::path sandbox, other;
};

TEST_F(WasiFsTest, WriteSeekReadTellPreadTruncate) {
  EXPECT_EQ(probe({"seektest data.bin"}),
            Lines{"0 pos=7 read=sandb tell=12 end=11 tail=box pread=hell size=5 badwhence=28"});
  EXPECT_EQ(readFile(sandbox / "data.bin"), "hello");
}

TEST_F(WasiFsTest, CreateRenameStatUnlinkDirectories) {
  Lines out = probe({"mkdir d", "mkdir d", "write d/f.txt hello", "stat d/f.txt",
                     "rename d/f.txt d/g.txt", "read d/g.txt", "read d/f.txt", "stat d",
                     "unlink d/g.txt", "rmdir d", "stat d"});
  ASSERT_EQ(out.size(), 11u);
  EXPECT_EQ(out[0], "0");
  EXPECT_EQ(out[1], "20"); // EEXIST
  EXPECT_EQ(out[2], "0 5");
  EXPECT_EQ(out[3], "0 type=4 size=5 nlink=1");
  EXPECT_EQ(out[4], "0");
  EXPECT_EQ(out[5], "0 hello");
  EXPECT_EQ(out[6], "44"); // ENOENT: renamed away
  EXPECT_EQ(out[7].substr(0, 8), "0 type=3"); // A directory (its size is the file system's).
  EXPECT_EQ(out[8], "0");
  EXPECT_EQ(out[9], "0");
  EXPECT_EQ(out[10], "44");
  EXPECT_FALSE(fs::exists(sandbox / "d"));
}

TEST_F(WasiFsTest, ErrnoOfCommonMistakes) {
  EXPECT_EQ(probe({"excl inside.txt x", "rmdir a", "unlink a", "rmdir inside.txt",
                   "read missing.txt", "write a x", "opendir inside.txt",
                   "unlink inside.txt/", "readlink inside.txt", "mkdir inside.txt",
                   "rename a inside.txt", "readnf link_in"}),
            (Lines{"20",   // EEXIST
                   "55",   // ENOTEMPTY
                   "31",   // EISDIR
                   "54",   // ENOTDIR
                   "44",   // ENOENT
                   "31",   // EISDIR: a directory opened for writing
                   "54",   // ENOTDIR
                   "54",   // ENOTDIR: trailing slash on a file
                   "28",   // EINVAL: not a symlink
                   "20",   // EEXIST
                   "54",   // ENOTDIR: a directory onto a file
                   "32"})); // ELOOP: final symlink not followed
}

TEST_F(WasiFsTest, ReadingADirectoryFdIsEisdir) {
  // Opening a directory for reading works; fd_read on it is EISDIR.
  Lines out = probe({"read a"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "31 ");
}

TEST_F(WasiFsTest, AppendAndSymlinksInside) {
  EXPECT_EQ(probe({"append log.txt one", "append log.txt two", "read log.txt",
                   "readlink link_in", "read link_in", "symlink a/b dirlink", "opendir dirlink",
                   "lstat dirlink"}),
            (Lines{"0 3", "0 3", "0 onetwo", "0 inside.txt", "0 inside", "0", "0",
                   "0 type=7 size=3 nlink=1"}));
  EXPECT_EQ(fs::read_symlink(sandbox / "dirlink"), "a/b");
}

TEST_F(WasiFsTest, ReaddirListsEveryEntryWithCookies) {
  EXPECT_EQ(probe({"ls ."}), Lines{"0 ./,../,a/,inside.txt,link_in, calls=1"});
  // A 40-byte buffer holds one whole entry and part of the next: each call
  // ends with a truncated entry and the guest resumes from the last cookie.
  EXPECT_EQ(probe({"ls . 40"}), Lines{"0 ./,../,a/,inside.txt,link_in, calls=5"});
  // A buffer smaller than one header is filled to the byte and no further.
  EXPECT_EQ(probe({"lsraw . 10"}), Lines{"0 used=10 next=1 guard=238"});
  EXPECT_EQ(probe({"ls a/b"}), Lines{"0 ./,../, calls=1"});
}

TEST_F(WasiFsTest, SetTimesFollowsOrNot) {
  EXPECT_EQ(probe({"touch inside.txt 1000000", "touchnf link_in 2000000"}), (Lines{"0", "0"}));
  struct stat st;
  ASSERT_EQ(::stat((sandbox / "inside.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1000000);
  ASSERT_EQ(::lstat((sandbox / "link_in").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 2000000);
}

TEST_F(WasiFsTest, RightsCanOnlyBeDropped) {
  EXPECT_EQ(probe({"rights inside.txt"}),
            Lines{"0 raise=76 drop=0 seek=76 write=8 trunc=76 readdir=54 prestat=8 beyond=76 "
                  "seekstdout=70 tellstdin=70 badoflags=28"});
}

TEST_F(WasiFsTest, AdviseAllocateSyncTimesAndFlags) {
  EXPECT_EQ(probe({"fileops f.bin"}),
            Lines{"0 advise=0 badadvice=28 allocate=0 size=100 datasync=0 sync=0 times=0 "
                  "mtim=6000000000 badtimes=28 append=0 flags=1 syncflag=58"});
}

TEST_F(WasiFsTest, PreopensAreListedInOrder) {
  EXPECT_EQ(probe({"prestat"}), Lines{"fd3=/sandbox fd4=/other 8"});
}

TEST_F(WasiFsTest, StdioFdsAndTheirTable) {
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  ASSERT_EQ(::write(pipeFds[1], "typed input", 11), 11);
  ::close(pipeFds[1]);
  WasiConfig config;
  config.stdinFd = pipeFds[0];
  Lines out = probe({"stdin", "fdstat 1", "fdstat 3", "fdstat 9", "close 4", "prestat",
                     "renumber 3 7", "renumber 3 1", "close 1", "fdstat 1"},
                    std::move(config));
  ::close(pipeFds[0]);
  // Captured stdout is a character device (line-buffered by libc); fd 4,
  // once closed, ends the preopen list; renumbering onto a closed fd is
  // EBADF. "renumber 3 1" makes fd 1 the directory: from then on the
  // probe's printf fails, so its output ends there.
  ASSERT_EQ(out.size(), 7u) << ::testing::PrintToString(out);
  EXPECT_EQ(out[0], "0 typed input");
  EXPECT_EQ(out[1], "0 type=2 read=0 write=1 seek=0");
  EXPECT_EQ(out[2], "0 type=3 read=0 write=0 seek=0");
  EXPECT_EQ(out[3], "8");
  EXPECT_EQ(out[4], "0");
  EXPECT_EQ(out[5], "fd3=/sandbox 8");
  EXPECT_EQ(out[6], "8");
}

TEST_F(WasiFsTest, PlainLibcProgram) {
  SKIP_WITHOUT_GUEST("libcdemo");
  WasiConfig config;
  config.preopens = {{sandbox.string(), "."}};
  WasiGuest guest("libcdemo", std::move(config));
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(*status, 0u) << guest.out;
  Lines out = lines(guest.out);
  ASSERT_GE(out.size(), 10u) << guest.out;
  EXPECT_EQ(out[0], "read 29 bytes, word=one pos=8");
  EXPECT_EQ(out[1], "line one");
  EXPECT_EQ(out[2], "line two");
  EXPECT_EQ(out[3], "line three");
  EXPECT_EQ(out[4], "moved size=29 regular=1");
  EXPECT_EQ(out[5], "sub: file0 file1 file2 moved.txt");
  EXPECT_EQ(out[6], "unlink twice: -1 No such file or directory");
  EXPECT_EQ(out[7], "rmdir non-empty: -1 Directory not empty");
  EXPECT_NE(out[8].find("No such file or directory"), std::string::npos) << out[8];
  // wasi-libc resolves "../secret.txt" against its own root: it never
  // reaches the host as a path climbing out.
  EXPECT_EQ(out[9].find("escape: 0x"), std::string::npos) << out[9];
  EXPECT_EQ(readFile(sandbox / "sub" / "moved.txt"), "line one\nline two\nline three\n");
  EXPECT_FALSE(fs::exists(sandbox / "sub" / "file1"));
}

} // namespace
} // namespace wasmscope::runtime
