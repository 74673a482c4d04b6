// The JSON framer alone, timed in CPU seconds of the calling thread: how fast the serial stage
// of a big-document input (az -o json, REST, gcloud arrays, filter-log-events) cuts records,
// without the workers that decode them. Three rounds over the file (page cache warm after the
// first). Used for the framer rows of bench/results.md:
//   build/release/bench/kubeblame-frame-json bench/data/aks-az-json-200M-seed42.json
#include <cstdio>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kubeblame-frame-json FILE\n");
    return 2;
  }
  using namespace kubeblame;
  for (int round = 0; round < 3; ++round) {
    auto source = io::open_source(argv[1]);
    decode::JsonFramer framer(*source, decode::FramerOptions{});
    io::Chunk chunk;
    std::shared_ptr<const decode::InputContext> context;
    std::size_t records = 0;
    std::size_t bytes = 0;
    double start = thread_cpu_seconds();
    while (framer.next(chunk, context)) {
      records += chunk.record_lines.size();
      bytes += chunk.size;
    }
    double cpu = thread_cpu_seconds() - start;
    std::printf("round %d: %.3f s CPU, %zu records, %zu bytes framed, %.2f GB/s of framed bytes\n",
                round + 1, cpu, records, bytes, static_cast<double>(bytes) / cpu / 1e9);
  }
  return 0;
}
