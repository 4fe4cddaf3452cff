#include "core/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace detlite {
namespace {

Status ErrnoStatus(const std::string& path, const char* what) {
  const int e = errno;
  std::string msg = path + ": " + what + ": " + std::strerror(e);
  if (e == ENOENT) return NotFound(msg);
  return IoError(msg);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { int f = fd_; fd_ = -1; return f; }

 private:
  int fd_;
};

template <typename Container>
StatusOr<Container> ReadWhole(const std::string& path, uint64_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(path, "cannot open");
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(path, "cannot stat");
  if (S_ISDIR(st.st_mode)) return InvalidArgument(path + ": is a directory, not a file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return InvalidArgument(path + ": file is " + std::to_string(st.st_size) +
                           " bytes, over the limit of " + std::to_string(max_bytes));
  }
  Container out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd.get(), reinterpret_cast<char*>(out.data()) + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "read failed");
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

// Whether existing file `path` lies under existing directory `dir`.
bool IsInside(const std::string& path, const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::canonical(path, ec);
  if (ec) return false;
  const std::filesystem::path d = std::filesystem::canonical(dir, ec);
  if (ec) return false;
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi) {
    if (pi == p.end() || *pi != *di) return false;
  }
  return true;
}

}  // namespace

StatusOr<std::vector<uint8_t>> ReadFileBytes(const std::string& path, uint64_t max_bytes) {
  return ReadWhole<std::vector<uint8_t>>(path, max_bytes);
}

StatusOr<std::string> ReadFileText(const std::string& path, uint64_t max_bytes) {
  return ReadWhole<std::string>(path, max_bytes);
}

Status CheckOutputPath(const std::string& flag, const std::string& path,
                       const std::vector<std::string>& inputs) {
  if (path.empty()) return InvalidArgument(flag + ": the output path is empty");
  struct stat out;
  if (::stat(path.c_str(), &out) != 0) return Status::Ok();  // a new file
  if (S_ISDIR(out.st_mode)) {
    return InvalidArgument(path + ": " + flag + " names an existing directory, not a file");
  }
  for (const std::string& in : inputs) {
    struct stat st;
    if (in.empty() || ::stat(in.c_str(), &st) != 0) continue;
    if (st.st_dev == out.st_dev && st.st_ino == out.st_ino) {
      return InvalidArgument(path + ": " + flag + " names an input (" + in +
                             "); refusing to overwrite it");
    }
    if (S_ISDIR(st.st_mode) && IsInside(path, in)) {
      return InvalidArgument(path + ": " + flag + " names a file inside the input folder " + in +
                             "; refusing to overwrite it");
    }
  }
  return Status::Ok();
}

Status CheckOutputDirectory(const std::string& flag, const std::string& dir) {
  if (dir.empty()) return InvalidArgument(flag + ": the output directory is empty");
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    return InvalidArgument(dir + ": " + flag + " names an existing file, not a directory");
  }
  return Status::Ok();
}

void RemoveStaleTemporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp.";
  std::error_code ec;
  fs::directory_iterator it(target.has_parent_path() ? target.parent_path() : fs::path("."), ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    // A live process (this one, a concurrent writer, or a reused pid) keeps its file.
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

Status WriteFileAtomic(const std::string& path, const void* data, size_t size) {
  if (path.empty()) return InvalidArgument("cannot write a file with an empty name");
  RemoveStaleTemporaries(path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return ErrnoStatus(path, "cannot create a temporary file beside it");
  const char* p = static_cast<const char*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd.get(), p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = ErrnoStatus(path, "write failed");
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd.release()) != 0) {
    Status s = ErrnoStatus(path, "close failed");
    ::unlink(tmp.c_str());
    return s;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = ErrnoStatus(path, "cannot rename temporary file into place");
    ::unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

}  // namespace detlite
