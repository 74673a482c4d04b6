// The JSON framer alone, timed in CPU seconds of the calling thread: how fast the serial stage
// of a big-document input (az -o json, REST, gcloud arrays, filter-log-events) cuts records,
// without the workers that decode them. Three rounds over the file (page cache warm after the
// first). Used for the framer rows of bench/results.md:
//   build/release/bench/kubeblame-frame-json bench/data/aks-az-json-200M-seed42.json
// An optional second argument is the gzip helper thread count (`-j`): the calling thread's CPU
// is then the serial stage, and the process CPU adds the helpers' inflating.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "kubeblame/decode/json_framer.h"
#include "kubeblame/io/byte_source.h"

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: kubeblame-frame-json FILE [GZIP-THREADS]\n");
    return 2;
  }
  unsigned threads = argc == 3 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 1;
  using namespace kubeblame;
  for (int round = 0; round < 3; ++round) {
    double process_start = process_cpu_seconds();
    double start = thread_cpu_seconds();
    auto source = io::open_source(argv[1], nullptr, threads);
    decode::JsonFramer framer(*source, decode::FramerOptions{});
    io::Chunk chunk;
    std::shared_ptr<const decode::InputContext> context;
    std::size_t records = 0;
    std::size_t bytes = 0;
    while (framer.next(chunk, context)) {
      records += chunk.record_lines.size();
      bytes += chunk.size;
    }
    double cpu = thread_cpu_seconds() - start;
    source.reset();  // joins the gzip helpers, so that their CPU is counted
    double process_cpu = process_cpu_seconds() - process_start;
    std::printf(
        "round %d: %.3f s CPU (process %.3f s), %zu records, %zu bytes framed, %.2f GB/s of framed "
        "bytes\n",
        round + 1, cpu, process_cpu, records, bytes, static_cast<double>(bytes) / cpu / 1e9);
  }
  return 0;
}
