#include "selfcheck_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"

extern char** environ;

namespace bpf_litmus::selfcheck {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

// This process's environment with `extra` added (replacing same-named entries).
std::vector<std::string> environment_with(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> entries;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [name, value] : extra) replaced = replaced || entry.rfind(name + "=", 0) == 0;
    if (!replaced) entries.push_back(entry);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The number just before `suffix` in line ("5 launches" -> 5); 0 when absent.
std::uint64_t number_before(const std::string& line, const std::string& suffix) {
  std::size_t end = line.find(suffix);
  if (end == std::string::npos) return 0;
  std::size_t start = end;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(line[start - 1])) != 0) --start;
  return start == end ? 0 : std::stoull(line.substr(start, end - start));
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

bool starts_with(const std::string& line, const std::string& prefix) { return line.rfind(prefix, 0) == 0; }

}  // namespace

std::string catalogue_dir() {
  const std::filesystem::path dir = std::filesystem::path(BPF_LITMUS_CONFORMANCE_DIR) / "tests";
  return std::filesystem::is_directory(dir) ? dir.string() : "";
}

std::string corpus_dir() { return BPF_LITMUS_CORPUS_DIR; }
std::string corpus_file(const std::string& name) { return corpus_dir() + "/" + name + ".litmus"; }
std::string bpf_litmus_binary() { return BPF_LITMUS_BINARY; }

cli::TestRun run_retrying_failures(const std::string& file, const cli::PipelineOptions& options, double* seconds,
                                   std::vector<std::string>* retried) {
  constexpr int kRetries = 2;
  for (int attempt = 0;; ++attempt) {
    const Clock::time_point start = Clock::now();
    cli::TestRun run = cli::run_litmus_file(file, options);
    *seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (run.status != cli::TestRun::Status::Failed || attempt == kRetries) return run;
    retried->push_back(std::filesystem::path(file).stem().string() + " (" + run.message + ")");
  }
}

std::string kernel_unavailable_reason() {
  const runtime::Features& features = runtime::probe_features();
  return features.probe_error.empty() ? "" : "cannot use BPF here: " + features.probe_error;
}

CliResult run_cli(const std::vector<std::string>& args, const CliOptions& options) {
  std::vector<std::string> argv_strings{bpf_litmus_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = environment_with(options.environment);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (pipe2(out_pipe.data(), O_CLOEXEC) != 0 || pipe2(err_pipe.data(), O_CLOEXEC) != 0) fail("pipe2");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const Clock::time_point start = Clock::now();
  const int spawn_error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    errno = spawn_error;
    fail("posix_spawn " + argv_strings[0]);
  }

  CliResult result;
  std::optional<Clock::time_point> interrupted_at;
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    const Clock::time_point now = Clock::now();
    if (options.interrupt_after && !interrupted_at && now - start >= *options.interrupt_after) {
      kill(pid, SIGINT);
      interrupted_at = now;
    }
    if (!result.timed_out && now - start >= options.timeout) {
      kill(pid, SIGKILL);
      result.timed_out = true;
    }
    if (poll(fds.data(), fds.size(), 20) < 0 && errno != EINTR) fail("poll");
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid");
  }
  const Clock::time_point end = Clock::now();
  result.elapsed = end - start;
  if (interrupted_at) result.exit_after_interrupt = end - *interrupted_at;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CliResult check_clean_interrupt(const std::vector<std::string>& args, std::chrono::milliseconds after,
                                std::chrono::milliseconds bound) {
  CliOptions options;
  options.interrupt_after = after;
  options.timeout = after + bound + std::chrono::seconds(10);
  const CliResult r = run_cli(args, options);
  std::string command = "bpf-litmus";
  for (const std::string& arg : args) command += " " + arg;
  EXPECT_FALSE(r.timed_out) << command << " did not stop after SIGINT";
  EXPECT_EQ(r.exit_status, 130) << command << "\nstderr:\n" << r.err;
  if (r.exit_after_interrupt) {
    EXPECT_LE(r.exit_after_interrupt->count(), std::chrono::duration<double>(bound).count())
        << command << " took that long to exit after SIGINT";
  }
  const std::vector<Litmus7Block> blocks = parse_litmus7_blocks(r.out);
  EXPECT_FALSE(blocks.empty()) << command << " printed no litmus7 block:\n" << r.out;
  if (!blocks.empty()) {
    const Litmus7Block& last = blocks.back();  // the one interrupted
    EXPECT_GT(last.run_iterations.value_or(0), 0U) << r.out;
    EXPECT_EQ(last.histogram_total, last.run_iterations.value_or(0)) << r.out;
    EXPECT_EQ(last.positive + last.negative, last.histogram_total) << r.out;
    EXPECT_TRUE(last.time.has_value()) << r.out;
    EXPECT_LE(last.time.value_or(0), r.elapsed.count()) << r.out;
  }
  return r;
}

TemporaryLitmus::TemporaryLitmus(const std::string& name, const std::string& text)
    : dir_((std::filesystem::temp_directory_path() / "bpf-litmus-selfcheck-XXXXXX").string()) {
  if (mkdtemp(dir_.data()) == nullptr) fail("mkdtemp");
  path_ = dir_ + "/" + name + ".litmus";
  std::ofstream(path_) << text;
}

TemporaryLitmus::~TemporaryLitmus() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

// Plain string parsing: GCC 12's <regex> trips -Wmaybe-uninitialized under the sanitizers.
std::vector<Litmus7Block> parse_litmus7_blocks(const std::string& out) {
  std::vector<Litmus7Block> blocks;
  std::istringstream in(out);
  std::string previous;
  std::size_t states_left = 0;
  for (std::string line; std::getline(in, line); previous = line) {
    if (starts_with(line, "Histogram (") && starts_with(previous, "Test ")) {
      Litmus7Block block;
      block.test = words(previous).at(1);
      blocks.push_back(block);
      states_left = std::stoul(line.substr(std::string("Histogram (").size()));
      continue;
    }
    if (blocks.empty()) continue;
    Litmus7Block& block = blocks.back();
    const std::vector<std::string> w = words(line);
    const std::size_t marker = line.find('>');
    if (states_left > 0 && marker != std::string::npos && marker > 0 &&
        (line[marker - 1] == ':' || line[marker - 1] == '*') && std::isdigit(static_cast<unsigned char>(line[0])) != 0) {
      const std::uint64_t count = std::stoull(line);
      block.histogram.emplace_back(line.substr(marker + 1), count);
      block.histogram_total += count;
      --states_left;
    } else if (w.size() == 5 && w[0] == "Observation") {
      block.positive = std::stoull(w[3]);
      block.negative = std::stoull(w[4]);
    } else if (w.size() == 3 && w[0] == "Time") {
      block.time = std::stod(w[2]);
    } else if (w.size() >= 3 && w[0] == "Run:" && w[2] == "iterations") {
      block.run_iterations = std::stoull(w[1]);
      block.launches = number_before(line, " launches");
      block.unsynchronised = number_before(line, " unsynchronised instances");
    } else if (starts_with(line, "  !!! FORBIDDEN ") || starts_with(line, "  outside model ")) {
      // `  <verdict> <count> <state>   <- why`
      const std::size_t count_start = line.find_first_not_of(' ', std::string("  !!! FORBIDDEN ").size());
      const std::size_t state_start = line.find_first_not_of(' ', line.find(' ', count_start));
      const std::size_t state_end = line.find("   <-", state_start);
      std::string state = line.substr(state_start, state_end == std::string::npos ? std::string::npos : state_end - state_start);
      (starts_with(line, "  outside") ? block.outside_model : block.forbidden).push_back(std::move(state));
    }
  }
  return blocks;
}

}  // namespace bpf_litmus::selfcheck
