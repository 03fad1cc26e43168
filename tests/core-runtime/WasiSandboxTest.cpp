// The WASI sandbox, tested the way a user meets it: a real wasm guest
// (wasi/fsprobe.c) calls the path and fd imports with every way out of its
// preopened directory we know of. Each attempt must fail with the exact WASI
// errno (ENOTCAPABLE, 76, unless noted) and leave the directory next to the
// sandbox, which holds a secret, exactly as it was: same entries, contents,
// sizes, link counts, mtimes and ctimes, and the secret never appears in the
// guest's output. Every test runs twice: with openat2(2) RESOLVE_BENEATH and
// with the portable component walk used where openat2 is missing.
#include "WasiTestSupport.h"

#include "wasi/Sandbox.h"

#include <gtest/gtest.h>

#include <set>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;
using wasi::ResolveMode;

constexpr const char* kNotCapable = "76";
constexpr const char* kNotPermitted = "63"; // EPERM, for symlink targets as in wasmtime
constexpr const char* kSecret = "top secret";

class WasiSandboxTest : public ::testing::TestWithParam<ResolveMode> {
protected:
  void SetUp() override {
    SKIP_WITHOUT_GUEST("fsprobe");
    wasi::setResolveMode(GetParam());
    root = tmp.path();
    outside = root / "outside";
    sandbox = root / "sandbox";
    other = root / "other";
    fs::create_directories(outside / "dir");
    writeFile(outside / "secret.txt", kSecret);
    fs::create_directories(sandbox / "a" / "b");
    fs::create_directories(other);
    writeFile(sandbox / "inside.txt", "inside");
    // Symlinks planted by the host, pointing out in every way.
    fs::create_symlink(outside / "secret.txt", sandbox / "link_out_abs");
    fs::create_symlink("../outside/secret.txt", sandbox / "link_out_rel");
    fs::create_symlink("../outside", sandbox / "link_dir_out");
    fs::create_symlink(outside, sandbox / "link_dir_abs");
    fs::create_symlink("../../outside/secret.txt", sandbox / "a" / "deep_rel");
    fs::create_symlink("b/../../../outside", sandbox / "a" / "tricky");
    fs::create_symlink("..", sandbox / "up");
    // Symlinks that stay inside.
    fs::create_symlink("inside.txt", sandbox / "link_in");
    fs::create_symlink("../inside.txt", sandbox / "a" / "link_up");
    fs::create_symlink("loop", sandbox / "loop");
    outsideBefore = snapshotTree(outside);
    rootBefore = rootNames();
  }

  void TearDown() override { wasi::setResolveMode(ResolveMode::Auto); }

  std::set<std::string> rootNames() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(root))
      names.insert(e.path().filename().string());
    return names;
  }

  /// Runs the probe with `commands`; returns one output line per command.
  std::vector<std::string> probe(std::vector<std::string> commands) {
    WasiConfig config;
    config.args = {"fsprobe"};
    config.args.insert(config.args.end(), commands.begin(), commands.end());
    config.preopens = {{sandbox.string(), "/sandbox"}, {other.string(), "/other"}};
    WasiGuest guest("fsprobe", std::move(config));
    EXPECT_TRUE(guest.ok()) << guest.loadError;
    if (!guest.ok())
      return {};
    auto status = guest.run();
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().describe());
    EXPECT_EQ(guest.out.find(kSecret), std::string::npos) << "the guest read the secret";
    // Host paths never reach the guest.
    EXPECT_EQ(guest.out.find(root.string()), std::string::npos) << guest.out;
    return lines(guest.out);
  }

  /// Nothing outside the sandbox was created, changed or removed.
  void expectOutsideUntouched() {
    EXPECT_EQ(snapshotTree(outside), outsideBefore);
    EXPECT_EQ(rootNames(), rootBefore);
  }

  void expectAllRefused(const std::vector<std::string>& commands) {
    std::vector<std::string> out = probe(commands);
    ASSERT_EQ(out.size(), commands.size());
    for (size_t i = 0; i < commands.size(); ++i)
      EXPECT_EQ(out[i], kNotCapable) << "command: " << commands[i];
    expectOutsideUntouched();
  }

  TempDir tmp;
  fs::path root, outside, sandbox, other;
  std::map<std::string, std::string> outsideBefore;
  std::set<std::string> rootBefore;
};

TEST_P(WasiSandboxTest, DotDotCannotLeave) {
  expectAllRefused({"read ../outside/secret.txt", "read a/../../outside/secret.txt",
                    "read a/b/../../../outside/secret.txt", "read ./../outside/secret.txt",
                    "readnf ../outside/secret.txt", "stat ../outside/secret.txt",
                    "lstat ../outside", "write ../outside/new.txt x",
                    "write a/../../outside/secret.txt overwritten"});
}

TEST_P(WasiSandboxTest, OpeningTheParentOfThePreopenIsRefused) {
  expectAllRefused({"opendir ..", "opendir a/../..", "opendir ../outside", "ls ..", "stat ..",
                    "lstat a/b/../../.."});
  // "." and a round trip that stays inside are fine.
  EXPECT_EQ(probe({"opendir .", "opendir a/b/../.."}), (std::vector<std::string>{"0", "0"}));
}

TEST_P(WasiSandboxTest, AbsolutePathsAreRefused) {
  std::string hostSecret = (outside / "secret.txt").string();
  std::string hostInside = (sandbox / "inside.txt").string();
  expectAllRefused({"read " + hostSecret, "read /etc/passwd", "read /",
                    "read " + hostInside, // even one that names a file inside
                    "write /tmp/wasmscope-escape.txt x", "mkdir /tmp/wasmscope-escape",
                    "stat /etc", "opendir /"});
  EXPECT_FALSE(fs::exists("/tmp/wasmscope-escape.txt"));
  EXPECT_FALSE(fs::exists("/tmp/wasmscope-escape"));
}

TEST_P(WasiSandboxTest, SymlinkOutAtTheFinalComponentIsNotFollowed) {
  expectAllRefused({"read link_out_abs", "read link_out_rel", "read a/deep_rel",
                    "stat link_out_abs", "stat link_out_rel",
                    "write link_out_rel overwritten", "append link_out_abs more",
                    "touch link_out_rel 1000", "linkf link_out_abs hard"});
  // Without following, the link itself is what the guest sees: ELOOP on
  // open, a symlink (type 7) on lstat, and its target text on readlink.
  std::vector<std::string> out = probe({"readnf link_out_rel", "lstat link_out_rel"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "32"); // ELOOP
  EXPECT_EQ(out[1].substr(0, 8), "0 type=7");
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, SymlinkOutAtAnIntermediateComponentIsNotFollowed) {
  expectAllRefused({"read link_dir_out/secret.txt", "read link_dir_abs/secret.txt",
                    "read a/tricky/secret.txt", "read up/outside/secret.txt",
                    "write link_dir_out/new.txt x", "mkdir link_dir_out/newdir",
                    "rmdir link_dir_out/dir", "unlink link_dir_out/secret.txt",
                    "stat link_dir_abs/secret.txt", "ls link_dir_out", "ls up",
                    "readlink link_dir_out/secret.txt", "symlink inside.txt link_dir_out/s",
                    "touchnf link_dir_out/secret.txt 1000"});
}

TEST_P(WasiSandboxTest, RelativeSymlinkClimbingOutIsNotFollowed) {
  expectAllRefused({"read a/deep_rel", "read a/tricky/secret.txt", "opendir a/tricky",
                    "opendir up", "read up/sandbox/inside.txt"});
  // A relative symlink that climbs but stays inside works.
  EXPECT_EQ(probe({"read a/link_up", "read link_in"}),
            (std::vector<std::string>{"0 inside", "0 inside"}));
}

TEST_P(WasiSandboxTest, DirectoryFdIsItsOwnCapability) {
  // Relative to a directory fd opened inside, `..` may not climb above it.
  EXPECT_EQ(probe({"cd a", "read ../inside.txt", "read ../../outside/secret.txt", "opendir ..",
                   "read link_up", "read b/../link_up"}),
            (std::vector<std::string>{"0", kNotCapable, kNotCapable, kNotCapable, kNotCapable,
                                      kNotCapable}));
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, RenameIntoOrOutOfThePreopenIsRefused) {
  expectAllRefused({"rename inside.txt ../outside/stolen.txt",
                    "rename ../outside/secret.txt got.txt",
                    "rename inside.txt link_dir_out/stolen.txt",
                    "rename link_dir_out/secret.txt got.txt", "rename a ../outside/a",
                    "rename a/b/../../../outside/dir here"});
  EXPECT_EQ(readFile(sandbox / "inside.txt"), "inside");
  EXPECT_FALSE(fs::exists(sandbox / "got.txt"));
  EXPECT_FALSE(fs::exists(sandbox / "here"));
  // Renaming the symlink itself moves only the link.
  EXPECT_EQ(probe({"rename link_out_rel renamed_link"}), std::vector<std::string>{"0"});
  EXPECT_TRUE(fs::is_symlink(sandbox / "renamed_link"));
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, HardLinkToAnOutsideFileIsRefused) {
  expectAllRefused({"link ../outside/secret.txt hard", "linkf link_out_abs hard",
                    "linkf link_out_rel hard", "linkf link_dir_out/secret.txt hard",
                    "link link_dir_out/secret.txt hard", "link inside.txt ../outside/hard",
                    "link inside.txt link_dir_out/hard"});
  EXPECT_FALSE(fs::exists(sandbox / "hard"));
  // The secret's link count (in the snapshot) is unchanged; a link inside works.
  EXPECT_EQ(probe({"link inside.txt hard", "stat hard"}),
            (std::vector<std::string>{"0", "0 type=4 size=6 nlink=2"}));
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, SymlinkCreationPointingOutIsRefused) {
  std::string hostSecret = (outside / "secret.txt").string();
  std::vector<std::string> commands = {
      "symlink " + hostSecret + " s1", "symlink /etc/passwd s2",
      "symlink ../outside/secret.txt s3", "symlink .. s4", "symlink ../../x a/s5",
      "symlink b/../../../x a/s6", "symlink a/../.. s7",
      // Even a target that would stay inside when read lexically: a `..`
      // after a symlink component climbs from wherever that symlink leads.
      "symlink ../inside.txt a/s8", "symlink b/.. a/s9", "symlink ./.. a/s10"};
  std::vector<std::string> out = probe(commands);
  ASSERT_EQ(out.size(), commands.size());
  for (size_t i = 0; i < commands.size(); ++i)
    EXPECT_EQ(out[i], kNotPermitted) << "command: " << commands[i];
  for (const char* name : {"s1", "s2", "s3", "s4", "s7", "a/s5", "a/s6", "a/s8", "a/s9", "a/s10"})
    EXPECT_FALSE(fs::exists(fs::symlink_status(sandbox / name))) << name;
  // Targets without `..` are created, and are followed beneath the preopen.
  EXPECT_EQ(probe({"symlink inside.txt ok2", "read ok2", "symlink b a/ok3", "opendir a/ok3",
                   "symlink ./inside.txt ok4", "read ok4"}),
            (std::vector<std::string>{"0", "0 inside", "0", "0", "0", "0 inside"}));
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, GuestSymlinksNeverLeadHostToolsOut) {
  // Chained links: the first makes a component that climbs, the second
  // climbs from it. Each is lexically "beneath" where it sits, and together
  // they lead a host program walking the tree (tar, rm -r, an artifact
  // upload) out of the preopen.
  std::vector<std::string> out =
      probe({"mkdir d", "mkdir d/e", "symlink .. d/e/u", "symlink u/../.. d/e/w",
             "symlink u/../../.. d/e/x"});
  EXPECT_EQ(out, (std::vector<std::string>{"0", "0", kNotPermitted, kNotPermitted,
                                           kNotPermitted}));
  // Whatever the guest left behind, every link in the tree that the host did
  // not plant resolves beneath the sandbox.
  std::set<fs::path> planted = {sandbox / "link_out_abs", sandbox / "link_out_rel",
                                sandbox / "link_dir_out", sandbox / "link_dir_abs",
                                sandbox / "a" / "deep_rel", sandbox / "a" / "tricky",
                                sandbox / "up", sandbox / "link_in", sandbox / "a" / "link_up",
                                sandbox / "loop"};
  fs::path base = fs::canonical(sandbox);
  size_t links = 0;
  for (const auto& entry : fs::recursive_directory_iterator(sandbox)) {
    if (!entry.is_symlink() || planted.count(entry.path()))
      continue;
    ++links;
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(entry.path(), ec);
    std::string rel = resolved.lexically_relative(base).string();
    EXPECT_TRUE(!ec && !rel.empty() && rel.rfind("..", 0) != 0)
        << entry.path() << " resolves to " << resolved << ", outside the sandbox";
  }
  EXPECT_EQ(links, 0u) << "a refused link was created";
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, OtherPathOperationsCannotReachOutside) {
  expectAllRefused({"mkdir ../outside/newdir", "rmdir ../outside/dir",
                    "unlink ../outside/secret.txt", "readlink ../sandbox/link_in",
                    "touch ../outside/secret.txt 1000", "touchnf ../outside/secret.txt 1000",
                    "excl ../outside/new.txt x", "mkdir ..", "rmdir ..", "unlink ..",
                    "rename .. x"});
}

TEST_P(WasiSandboxTest, RemovingAnEscapingSymlinkRemovesOnlyTheLink) {
  EXPECT_EQ(probe({"unlink link_out_rel", "unlink link_dir_out"}),
            (std::vector<std::string>{"0", "0"}));
  EXPECT_FALSE(fs::exists(fs::symlink_status(sandbox / "link_out_rel")));
  expectOutsideUntouched();
}

TEST_P(WasiSandboxTest, SymlinkLoopsEndWithEloop) {
  EXPECT_EQ(probe({"read loop", "read loop/x"}), (std::vector<std::string>{"32", "32"}));
}

TEST_P(WasiSandboxTest, RenameBetweenTwoPreopensIsAllowed) {
  // Both directories were granted to the guest: moving between them is no escape.
  EXPECT_EQ(probe({"rename4 inside.txt moved.txt"}), std::vector<std::string>{"0"});
  EXPECT_EQ(readFile(other / "moved.txt"), "inside");
  expectOutsideUntouched();
}

INSTANTIATE_TEST_SUITE_P(Resolve, WasiSandboxTest,
                         ::testing::Values(ResolveMode::Auto, ResolveMode::ManualWalk),
                         [](const ::testing::TestParamInfo<ResolveMode>& info) {
                           return info.param == ResolveMode::Auto ? "Openat2" : "ManualWalk";
                         });

// --- Lexical helpers of the sandbox. ---

TEST(WasiSandboxHelpers, GuestPathChecks) {
  using wasi::checkGuestPath;
  using wasi::Errno;
  EXPECT_EQ(checkGuestPath("a/b.txt"), Errno::Success);
  EXPECT_EQ(checkGuestPath(""), Errno::NoEnt);
  EXPECT_EQ(checkGuestPath("/etc/passwd"), Errno::NotCapable);
  EXPECT_EQ(checkGuestPath(std::string("a\0b", 3)), Errno::Inval);
  EXPECT_EQ(checkGuestPath("\xff\xfe"), Errno::IlSeq);
  EXPECT_EQ(checkGuestPath("caf\xc3\xa9"), Errno::Success);
  EXPECT_EQ(checkGuestPath(std::string(5000, 'a')), Errno::NameTooLong);
}

TEST(WasiSandboxHelpers, SymlinkTargetsThatCannotClimb) {
  using wasi::symlinkTargetCannotClimb;
  EXPECT_TRUE(symlinkTargetCannotClimb("x"));
  EXPECT_TRUE(symlinkTargetCannotClimb("./a/b/c.txt"));
  EXPECT_TRUE(symlinkTargetCannotClimb("a..b/..c/d.."));
  EXPECT_TRUE(symlinkTargetCannotClimb("./."));
  EXPECT_FALSE(symlinkTargetCannotClimb("a/../b"));
  EXPECT_FALSE(symlinkTargetCannotClimb(".."));
  EXPECT_FALSE(symlinkTargetCannotClimb("a/.."));
  EXPECT_FALSE(symlinkTargetCannotClimb("a/../"));
  EXPECT_FALSE(symlinkTargetCannotClimb("a//..//b"));
  EXPECT_FALSE(symlinkTargetCannotClimb("/x"));
  EXPECT_FALSE(symlinkTargetCannotClimb("/"));
}

} // namespace
} // namespace wasmscope::runtime
