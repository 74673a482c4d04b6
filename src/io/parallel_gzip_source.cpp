// Gzip members inflated on helper threads (Firehose objects: one member per record batch).
//
// A member's end is only known by inflating it, so the compressed input is cut at bytes that
// look like a member header (magic, deflate, valid flags, XFL and OS) into segments of at least
// kSegmentTarget bytes, and each segment is inflated by a helper as a run of whole members. A
// segment is accepted only when it decodes cleanly and its last member (with any zero padding)
// ends exactly at the segment's end: the first segment starts where a serial inflate starts, so
// by induction every accepted segment starts where the serial inflate would be between members,
// and the accepted outputs back to back are exactly the serial output. A false header match makes
// its segment, or the one before it, fail that check; then, and on any damage, a read error or
// a member too big to split (a single-member .gz), the rest of the input goes to the serial
// gzip source from the first segment not yet handed out, which gives the same bytes and the same
// error message as it always did.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/compressed_source.h"
#include "kubeblame/io/inflater.h"

namespace kubeblame::io {
namespace {

// Compressed bytes asked for per read: what the serial source asks for (kCompressedReadSize), so
// that it can be handed the same pieces when it takes over (below).
constexpr std::size_t kReadBlock = kCompressedReadSize;
constexpr std::size_t kSegmentTarget = std::size_t{64} << 10;  // compressed bytes per segment
constexpr std::size_t kNoSplitLimit = std::size_t{2} << 20;    // no header in this much: serial
constexpr std::size_t kHeaderBytes = 10;
constexpr std::size_t kOutputStep = std::size_t{64} << 10;
// A segment inflating to more than this (a run of highly compressible members) is left to the
// serial source, so that memory stays bounded: (2 × threads + 1) segments at most.
constexpr std::size_t kMaxSegmentOutput = std::size_t{16} << 20;

// A gzip member header could start at p (kHeaderBytes readable): magic, CM 8, no reserved flag
// bits, XFL 0, 2 or 4, OS 0-13 or 255 (RFC 1952). Anything else is never a cut.
bool looks_like_member(const unsigned char* p) {
  return p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (p[3] & 0xe0) == 0 &&
         (p[8] == 0 || p[8] == 2 || p[8] == 4) && (p[9] <= 13 || p[9] == 255);
}

struct Segment {
  std::vector<unsigned char> input;  // starts with a member header (or at the input's start)
  std::uint64_t offset = 0;          // of input[0] in the compressed stream
  std::unique_ptr<char[]> output;
  std::size_t output_size = 0;
  std::size_t output_capacity = 0;
  bool done = false;
  bool ok = false;

  void grow(std::size_t capacity) {
    if (capacity <= output_capacity) return;
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (output_size > 0) std::memcpy(grown.get(), output.get(), output_size);
    output = std::move(grown);
    output_capacity = capacity;
  }
};

// Inflates `segment` as a run of whole members; ok only when the last one (and zero padding)
// ends exactly at the input's end. The output buffer is grown only past what the reader
// allotted (in its own malloc arena, so that buffers freed by one layer serve the next).
void inflate_segment(Inflater& inflater, Segment& segment) {
  inflater.reset();
  segment.output_size = 0;
  segment.ok = false;
  const unsigned char* in = segment.input.data();
  std::size_t left = segment.input.size();
  bool between_members = false;
  bool output_full = false;
  std::string message;
  for (;;) {
    if (between_members) {
      while (left > 0 && *in == 0) ++in, --left;
      if (left == 0) break;
      if (*in != 0x1f) return;
      between_members = false;
    }
    if (left == 0 && !output_full) return;  // the member goes on past the segment
    if (segment.output_capacity - segment.output_size < kOutputStep) {
      if (segment.output_capacity >= kMaxSegmentOutput) return;
      segment.grow(
          std::min(segment.output_capacity + segment.output_capacity / 2, kMaxSegmentOutput));
    }
    std::size_t room = segment.output_capacity - segment.output_size;
    std::size_t produced = 0;
    Inflater::Status status = inflater.inflate(in, left, segment.output.get() + segment.output_size,
                                               room, produced, message);
    segment.output_size += produced;
    output_full = produced == room;
    if (status == Inflater::Status::kError) return;
    if (status == Inflater::Status::kMemberEnd) {
      inflater.reset();
      between_members = true;
    }
  }
  segment.ok = true;
}

// Hands out `prefix`, then reads `inner`; a read error met earlier is thrown after the prefix.
// The prefix goes out in the pieces the input gave it in (`piece_ends`: offsets in the prefix
// where a read of the input ended), so that the serial inflater sees the buffers it would have
// seen from the start: a damaged member then yields the same partial output either way.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::vector<unsigned char> prefix, std::deque<std::size_t> piece_ends,
                 std::unique_ptr<ByteSource> inner, std::optional<std::string> error)
      : prefix_(std::move(prefix)),
        piece_ends_(std::move(piece_ends)),
        inner_(std::move(inner)),
        error_(std::move(error)) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    if (pos_ < prefix_.size()) {
      while (!piece_ends_.empty() && piece_ends_.front() <= pos_) piece_ends_.pop_front();
      std::size_t end = piece_ends_.empty() ? prefix_.size() : piece_ends_.front();
      std::size_t n = std::min(capacity, end - pos_);
      std::memcpy(buffer, prefix_.data() + pos_, n);
      pos_ += n;
      if (pos_ == prefix_.size()) {
        prefix_ = {};
        pos_ = 0;
      }
      return n;
    }
    if (error_) throw IoError(*error_);
    return inner_->read(buffer, capacity);
  }

 private:
  std::vector<unsigned char> prefix_;
  std::deque<std::size_t> piece_ends_;
  std::size_t pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
  std::optional<std::string> error_;
};

class ParallelGzipSource : public ByteSource {
 public:
  ParallelGzipSource(std::unique_ptr<ByteSource> compressed, std::string name, unsigned threads)
      : compressed_(std::move(compressed)),
        name_(std::move(name)),
        backend_(gzip_backend()),
        max_helpers_(threads),
        max_pending_(2 * std::size_t{threads} + 1) {}
  ~ParallelGzipSource() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& helper : helpers_) helper.join();
  }
  ParallelGzipSource(const ParallelGzipSource&) = delete;
  ParallelGzipSource& operator=(const ParallelGzipSource&) = delete;

  std::string_view encoding() const override { return "gzip"; }

  // Fills the whole buffer unless the input ends or fails, as the serial source does, so that a
  // reader sees the same read sizes and the serial source, taking over mid-buffer, the same
  // output windows as it would have from the start.
  std::size_t read(char* buffer, std::size_t capacity) override {
    std::size_t filled = 0;
    while (filled < capacity && !serial_) {
      if (front_ready_) {
        filled += take_front(buffer + filled, capacity - filled);
        continue;
      }
      dispatch();
      if (pending_.empty()) {
        if (!go_serial_) return filled;
        start_serial();
      } else if (wait_for_front()) {
        front_ready_ = true;
      } else {
        start_serial();
      }
    }
    if (filled == capacity || !serial_) return filled;
    try {
      return filled + serial_->read(buffer + filled, capacity - filled);
    } catch (const IoError&) {
      if (filled == 0) throw;
      return filled;  // the serial source raises it again on the next read
    }
  }

 private:
  void help() {
    std::unique_ptr<Inflater> inflater = make_inflater(backend_);
    std::unique_lock lock(mutex_);
    for (;;) {
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      std::shared_ptr<Segment> segment = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      inflate_segment(*inflater, *segment);
      lock.lock();
      segment->done = true;
      segment.reset();  // before the reader can see it done, so that it can reuse the segment
      segment_done_.notify_all();
    }
  }

  // Copies out of the front segment; recycles it once it is all out.
  std::size_t take_front(char* buffer, std::size_t capacity) {
    Segment& front = *pending_.front();
    std::size_t n = std::min(capacity, front.output_size - out_pos_);
    std::memcpy(buffer, front.output.get() + out_pos_, n);
    out_pos_ += n;
    if (out_pos_ == front.output_size) recycle_front();
    return n;
  }

  // Waits for the front segment; false when it failed (the serial source takes over there).
  bool wait_for_front() {
    Segment& front = *pending_.front();
    std::unique_lock lock(mutex_);
    segment_done_.wait(lock, [&] { return front.done; });
    if (!front.ok) return false;
    accepted_any_ = true;
    if (!front.input.empty()) ratio16_ = front.output_size * 16 / front.input.size() + 1;
    return true;
  }

  void recycle_front() {
    std::shared_ptr<Segment> used = std::move(pending_.front());
    pending_.pop_front();
    std::uint64_t oldest = pending_.empty() ? window_offset_ : pending_.front()->offset;
    while (!read_ends_.empty() && read_ends_.front() <= oldest) read_ends_.pop_front();
    out_pos_ = 0;
    front_ready_ = false;
    if (used.use_count() == 1) spare_.push_back(std::move(used));
  }

  // Queues segments while fewer than max_pending_ are in flight; one until a segment has been
  // accepted, so that an input that is one member (the outer layer of a Firehose object) costs
  // one failed segment before the serial source takes over.
  void dispatch() {
    while (!go_serial_ && pending_.size() < (accepted_any_ ? max_pending_ : 1)) {
      std::size_t cut = find_cut();
      if (cut == 0) {
        if (!input_ended_ && window_size() < kNoSplitLimit) {
          read_more();
          continue;
        }
        // The input's end (its last segment, unless a read error needs the serial source to
        // raise it in its place), or a member too long to split.
        if (!input_ended_ || input_error_) go_serial_ = true;
        if (!go_serial_ && window_size() > 0) queue(window_size());
        if (window_size() == 0 || go_serial_) return;
        continue;
      }
      queue(cut);
    }
  }

  std::size_t window_size() const { return window_.size() - begin_; }

  // The first header at or past kSegmentTarget in the window, 0 when none is there yet.
  std::size_t find_cut() {
    if (window_size() < kHeaderBytes) return 0;
    std::size_t from = std::max(scanned_, kSegmentTarget);
    std::size_t last = window_size() - kHeaderBytes;
    const unsigned char* base = window_.data() + begin_;
    while (from <= last) {
      const void* hit = std::memchr(base + from, 0x1f, last - from + 1);
      if (hit == nullptr) break;
      std::size_t at = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - base);
      if (looks_like_member(base + at)) return at;
      from = at + 1;
    }
    scanned_ = std::max(from, last + 1);
    return 0;
  }

  void read_more() {
    window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(begin_));
    begin_ = 0;
    std::size_t old = window_.size();
    window_.resize(old + kReadBlock);
    std::size_t n = 0;
    try {
      n = compressed_->read(reinterpret_cast<char*>(window_.data() + old), kReadBlock);
    } catch (const IoError& error) {
      input_error_ = error.what();
    }
    window_.resize(old + n);
    if (n == 0) input_ended_ = true;
    read_ends_.push_back(window_offset_ + window_size());
  }

  // Moves the window's first `size` bytes into a new segment and hands it to the helpers.
  void queue(std::size_t size) {
    std::shared_ptr<Segment> segment;
    if (spare_.empty()) {
      segment = std::make_shared<Segment>();
    } else {
      segment = std::move(spare_.back());
      spare_.pop_back();
    }
    const unsigned char* start = window_.data() + begin_;
    segment->input.assign(start, start + size);
    segment->offset = window_offset_;
    segment->done = false;
    begin_ += size;
    window_offset_ += size;
    scanned_ = 0;
    std::size_t expected = size / 16 * ratio16_;
    segment->grow(std::min(expected + expected / 8, kMaxSegmentOutput) + kOutputStep);
    if (input_ended_ && pending_.empty()) {
      // The input's only segment left (a small file): no helper needed.
      inflate_segment(*inline_inflater(), *segment);
      segment->done = true;
      pending_.push_back(std::move(segment));
      return;
    }
    // Helpers start as segments need them, so that a small input starts none.
    if (helpers_.size() < max_helpers_ && helpers_.size() <= pending_.size()) {
      helpers_.emplace_back([this] { help(); });
    }
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(segment);
    }
    work_ready_.notify_one();
    pending_.push_back(std::move(segment));
  }

  Inflater* inline_inflater() {
    if (!inline_) inline_ = make_inflater(backend_);
    return inline_.get();
  }

  // The serial source takes over from the first segment not handed out, or the window.
  void start_serial() {
    std::uint64_t offset = pending_.empty() ? window_offset_ : pending_.front()->offset;
    std::vector<unsigned char> rest;
    for (const auto& segment : pending_)
      rest.insert(rest.end(), segment->input.begin(), segment->input.end());
    rest.insert(rest.end(), window_.begin() + static_cast<std::ptrdiff_t>(begin_), window_.end());
    pending_.clear();
    spare_.clear();
    window_ = {};
    begin_ = 0;
    {
      std::lock_guard lock(mutex_);
      queue_.clear();  // segments no one will read; helpers finish the ones they hold
    }
    std::deque<std::size_t> piece_ends;
    for (std::uint64_t end : read_ends_) {
      if (end > offset) piece_ends.push_back(static_cast<std::size_t>(end - offset));
    }
    auto prefixed = std::make_unique<PrefixedSource>(std::move(rest), std::move(piece_ends),
                                                     std::move(compressed_), input_error_);
    serial_ = make_gzip_source(std::move(prefixed), name_, offset);
  }

  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  GzipBackend backend_;
  std::size_t max_helpers_;
  std::size_t max_pending_;
  std::unique_ptr<Inflater> inline_;
  std::vector<unsigned char> window_;  // compressed bytes in no segment yet, from begin_ on
  std::size_t begin_ = 0;
  std::uint64_t window_offset_ = 0;  // of window_[0] in the compressed stream
  std::size_t scanned_ = 0;          // window_ searched for a cut up to here
  bool input_ended_ = false;
  std::deque<std::uint64_t> read_ends_;  // where each read of the input ended, in the stream
  std::optional<std::string> input_error_;
  bool go_serial_ = false;
  bool accepted_any_ = false;
  // 16 × output bytes per input byte, from the last segment; 1:1 until one is done, so that a
  // guess never allots more than the input (a Firehose object's outer layer is about 1:1).
  std::size_t ratio16_ = 16;
  std::deque<std::shared_ptr<Segment>> pending_;  // in stream order
  std::size_t out_pos_ = 0;                       // in pending_.front()'s output
  bool front_ready_ = false;                      // pending_.front() is inflated and good
  std::vector<std::shared_ptr<Segment>> spare_;
  std::unique_ptr<ByteSource> serial_;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable segment_done_;
  std::deque<std::shared_ptr<Segment>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> helpers_;
};

}  // namespace

std::unique_ptr<ByteSource> make_parallel_gzip_source(std::unique_ptr<ByteSource> compressed,
                                                      std::string display_name, unsigned threads) {
  if (threads <= 1) return make_gzip_source(std::move(compressed), std::move(display_name));
  return std::make_unique<ParallelGzipSource>(std::move(compressed), std::move(display_name),
                                              threads);
}

}  // namespace kubeblame::io
