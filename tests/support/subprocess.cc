#include "support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/file_io.h"
#include "support/paths.h"

extern char** environ;

namespace detlite::testing {
namespace {

// Output goes to files rather than pipes: a chatty child can then never block
// on a full pipe while we wait for it.
class CaptureFile {
 public:
  CaptureFile() {
    std::string tmpl = TempDir() + "/capture_XXXXXX";
    // O_CLOEXEC: only the dup2'ed copy should reach the child.
    fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd_ >= 0) path_ = tmpl;
  }
  ~CaptureFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;
  int fd() const { return fd_; }
  std::string Read() const {
    auto text = ReadFileText(path_, 64ull << 20);
    return text.ok() ? *text : std::string("<cannot read captured output>");
  }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace

StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   double timeout_seconds) {
  if (argv.empty()) return InvalidArgument("RunProcess: empty argv");
  CaptureFile out, err;
  if (out.fd() < 0 || err.fd() < 0) {
    return IoError("RunProcess: cannot create capture files in " + TempDir());
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), 2);

  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr,
                               args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return FailedPrecondition("cannot start " + argv[0] + ": " +
                              std::strerror(rc));
  }

  ProcessResult result;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start +
                        std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  struct rusage usage {};
  for (;;) {
    const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      return Internal("waitpid failed: " + std::string(std::strerror(errno)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);  // only the child we started, by its id
      while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
      }
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.max_rss_kib = usage.ru_maxrss;  // Linux reports KiB
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = out.Read();
  result.err = err.Read();
  return result;
}

std::string FindExecutable(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

std::string LastLine(const std::string& text) {
  std::string last, line;
  for (char c : text + "\n") {
    if (c != '\n' && c != '\r') {
      line += c;
      continue;
    }
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
    line.clear();
  }
  return last;
}

}  // namespace detlite::testing
