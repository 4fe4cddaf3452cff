#include "piped_child.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace detlite::cli {

StatusOr<std::unique_ptr<PipedChild>> PipedChild::Start(const std::vector<std::string>& argv,
                                                        const std::string& err_path) {
  if (argv.empty()) return InvalidArgument("no program to run");
  // A child that dies must give an error on write, not end detlite.
  std::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return IoError(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return IoError(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::unique_ptr<PipedChild> child(new PipedChild());
  child->err_path_ = err_path;
  const int rc = posix_spawnp(&child->pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    child->pid_ = -1;
    return NotFound("cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  child->to_child_ = fdopen(in_pipe[1], "w");
  child->from_child_ = fdopen(out_pipe[0], "r");
  return child;
}

PipedChild::~PipedChild() {
  if (pid_ > 0 && Finish() == -2) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string PipedChild::ErrorTail() const {
  std::ifstream f(err_path_);
  std::string line, last;
  while (std::getline(f, line)) {
    if (!line.empty()) last = line;
  }
  return last.empty() ? "(no message)" : last;
}

Status PipedChild::WriteLine(const std::string& line) {
  if (!to_child_ || std::fputs((line + "\n").c_str(), to_child_) < 0 || std::fflush(to_child_) != 0) {
    return Internal("the child stopped: " + ErrorTail());
  }
  return Status::Ok();
}

StatusOr<std::string> PipedChild::ReadLine() {
  std::string line;
  for (int c; from_child_ && (c = std::fgetc(from_child_)) != EOF;) {
    if (c == '\n') return line;
    line.push_back(static_cast<char>(c));
  }
  return Internal("the child stopped: " + ErrorTail());
}

int PipedChild::Finish() {
  if (to_child_) {
    std::fclose(to_child_);
    to_child_ = nullptr;
  }
  if (from_child_) {
    std::fclose(from_child_);
    from_child_ = nullptr;
  }
  if (pid_ <= 0) return -1;
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  if (r < 0) return -2;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace detlite::cli
