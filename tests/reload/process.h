// Test helpers for end-to-end tests with real processes: a child process whose output is
// collected line by line, a blocking HTTP/1.1 client on one keep-alive connection, and the
// small file, text and JSON helpers those tests share.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "orbit/base/json.h"

extern char** environ;

namespace orbit::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// The member at `path` of a JSON object; null when absent.
inline const JsonValue* member(const JsonValue& v, std::initializer_list<std::string_view> path) {
  const JsonValue* at = &v;
  for (std::string_view key : path) {
    at = at->find(key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

// A child process with stdin as a pipe and stdout + stderr collected into lines by a thread.
// The destructor stops it (SIGTERM, then SIGKILL after five seconds).
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { stop(); }

  // Empty string on success, else why it failed.
  std::string start(const std::vector<std::string>& argv) {
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) return "pipe failed";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 2);
    // The test may block signals for its own threads; the child starts with none blocked.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in_pipe[0]);
    close(out_pipe[1]);
    stdin_ = in_pipe[1];
    if (rc != 0) {
      close(out_pipe[0]);
      pid_ = -1;
      return "cannot start " + argv[0] + ": " + strerror(rc);
    }
    reader_ = std::thread([this, fd = out_pipe[0]] { read_lines(fd); });
    return "";
  }

  // Waits for an output line (seen before or after this call) for which `match` is true.
  std::optional<std::string> wait_for_line(const std::function<bool(const std::string&)>& match,
                                           std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<std::string> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const std::string& line : lines_) {
        if (match(line)) {
          found = line;
          return true;
        }
      }
      return closed_;
    });
    return found;
  }

  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  std::string output() {
    std::string all;
    for (const std::string& line : lines())
      all += line + "\n";
    return all;
  }

  void write_stdin(const std::string& text) {
    if (stdin_ < 0) return;
    [[maybe_unused]] ssize_t n = write(stdin_, text.data(), text.size());
  }
  void signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }

  // Waits for the exit; the exit status, or -1 on timeout (the process keeps running) or
  // -signal when it was killed by a signal.
  int wait(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return exit_status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      usleep(20'000);
    }
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    finish();
    return exit_status_;
  }

  // Closes stdin, sends SIGTERM, waits; SIGKILL after five seconds. Returns the exit status.
  int stop() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (wait(std::chrono::seconds(5)) == -1 && pid_ > 0) {
        kill(pid_, SIGKILL);
        wait(std::chrono::seconds(5));
      }
    }
    finish();
    return exit_status_;
  }

 private:
  void read_lines(int fd) {
    std::string buffer;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
      buffer.append(chunk, static_cast<size_t>(n));
      size_t nl;
      while ((nl = buffer.find('\n')) != std::string::npos) {
        std::lock_guard<std::mutex> lock(mu_);
        lines_.push_back(buffer.substr(0, nl));
        buffer.erase(0, nl + 1);
        cv_.notify_all();
      }
    }
    close(fd);
    std::lock_guard<std::mutex> lock(mu_);
    if (!buffer.empty()) lines_.push_back(buffer);
    closed_ = true;
    cv_.notify_all();
  }

  void finish() {
    if (reader_.joinable()) reader_.join();
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int exit_status_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool closed_ = false;
};

// Starts tests/scenarios/harness/serve.js for `scenario` (a folder name under
// `scenarios_dir`, or a path) in `p`; the subgraph URLs it prints, by name (empty on failure).
inline std::map<std::string, std::string> start_scenario_subgraphs(
    ChildProcess& p, const std::filesystem::path& scenarios_dir, const std::string& scenario) {
  std::map<std::string, std::string> urls;
  std::string error =
      p.start({"node", (scenarios_dir / "harness" / "serve.js").string(), scenario});
  if (!error.empty()) return urls;
  auto line = p.wait_for_line([](const std::string& l) { return l.rfind("{", 0) == 0; },
                              std::chrono::seconds(60));
  if (!line) return urls;
  Arena arena;
  auto json = parse_json(*line, arena);
  if (!json.ok()) return urls;
  for (const JsonMember& m : json->members())
    urls[std::string(m.key)] = std::string(m.value.as_string());
  return urls;
}

struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;  // transport problem; empty when an answer was read
};

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port. Reconnects only when the previous
// answer said "Connection: close"; any other transport problem is reported, not retried.
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) : port_(port) {}
  ~HttpConnection() { close_socket(); }

  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "") {
    HttpResult result;
    if (fd_ < 0 && !connect_socket()) {
      result.error = "connect failed: " + std::string(strerror(errno));
      return result;
    }
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!body.empty() || method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    req += "\r\n" + body;
    for (size_t sent = 0; sent < req.size();) {
      ssize_t n = send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        result.error = "send failed: " + std::string(strerror(errno));
        close_socket();
        return result;
      }
      sent += static_cast<size_t>(n);
    }
    std::string raw;
    size_t head_end;
    while ((head_end = raw.find("\r\n\r\n")) == std::string::npos) {
      if (!receive(&raw)) {
        result.error = "connection closed before the answer's head (" + raw.substr(0, 100) + ")";
        close_socket();
        return result;
      }
    }
    if (raw.compare(0, 9, "HTTP/1.1 ") != 0) {
      result.error = "malformed answer: " + raw.substr(0, 200);
      close_socket();
      return result;
    }
    result.status = std::atoi(raw.c_str() + 9);
    std::string head = raw.substr(0, head_end);
    for (char& c : head)
      c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    size_t cl = head.find("\r\ncontent-length:");
    if (cl == std::string::npos) {
      result.error = "answer without Content-Length";
      close_socket();
      return result;
    }
    size_t length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
    while (raw.size() < head_end + 4 + length) {
      if (!receive(&raw)) {
        result.error = "connection closed in the answer's body";
        close_socket();
        return result;
      }
    }
    result.body = raw.substr(head_end + 4, length);
    if (head.find("\r\nconnection: close") != std::string::npos) close_socket();
    return result;
  }

 private:
  bool connect_socket() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close_socket();
      return false;
    }
    return true;
  }
  bool receive(std::string* out) {
    char chunk[16384];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    out->append(chunk, static_cast<size_t>(n));
    return true;
  }
  void close_socket() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  uint16_t port_;
  int fd_ = -1;
};

}  // namespace orbit::testing
