// JSON record framing.
//
// The framer reads the input in fixed blocks and runs a small state machine over the bytes: it
// tracks strings (with escapes) and nesting, and gives each open object/array a role. The roles
// decide where records are:
//   - a top-level array: each element is a record (az -o json, arrays of events);
//   - a top-level object is captured as one record (a pretty-printed event), unless at depth 1 a
//     key `items` (EventList), `records` (Event Hub), `events` (CloudWatch filter-log-events),
//     `logEvents` (CloudWatch subscription data), `results` (get-query-results) or `tables`
//     (REST) opens an array: then the capture is dropped and that array's elements become the
//     records; for `tables`, each table's `columns` are captured to build the context its
//     `rows` are read with;
//   - top-level values may follow each other with no separator (`}{`, CloudWatch subscription
//     documents decompressed from concatenated gzip members): each is framed on its own;
//   - anything else at top level (stray text) is one record up to the end of its line, so that it
//     is counted as malformed instead of disappearing.
// Records are copied into the chunk one per line, with raw newlines (only legal as whitespace
// between tokens) turned into spaces (inside a record array's element, by the block scan that
// finds its end, from the same loads). A chunk ends at a record boundary once it passes the
// target size, or before the first record that needs a different context.
#include "kubeblame/decode/json_framer.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kubeblame::decode {

namespace {

// Captured REST text (the columns array, the error member) is never longer than this: a hostile
// file cannot make the reader hold an unbounded copy. Real ones are a few KB.
constexpr std::size_t kMaxCapture = 1 << 20;
constexpr std::size_t kMaxApiError = 500;

// A framed record is one line: its line breaks (whitespace between tokens: JSON strings cannot
// hold raw ones) become spaces. 16 bytes per step; pretty-printed records have a break every few
// dozen bytes, which made a memchr call per break the framer's largest cost.
void flatten_line_breaks(char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage = _mm_set1_epi8('\r');
  const __m128i space = _mm_set1_epi8(' ');
  for (; i + 16 <= n; i += 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i breaks = _mm_or_si128(_mm_cmpeq_epi8(block, newline), _mm_cmpeq_epi8(block, carriage));
    if (_mm_movemask_epi8(breaks) == 0) continue;
    block = _mm_or_si128(_mm_and_si128(breaks, space), _mm_andnot_si128(breaks, block));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i), block);
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == '\n' || p[i] == '\r') p[i] = ' ';
  }
}

// The first '"' in [p, end), or end. Strings in exports are short: an inline 16-byte compare
// instead of a memchr call per string.
const char* find_quote(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  for (; end - p >= 16; p += 16) {
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), quote)));
    if (mask != 0) return p + __builtin_ctz(mask);
  }
#endif
  for (; p < end; ++p) {
    if (*p == '"') return p;
  }
  return end;
}

std::shared_ptr<const InputContext> context_for(Container container) {
  auto ctx = std::make_shared<InputContext>();
  ctx->container = container;
  return ctx;
}

}  // namespace

JsonFramer::JsonFramer(io::ByteSource& source, FramerOptions options)
    : source_(source), options_(options), buffer_(std::max<std::size_t>(options.read_size, 1)) {
  line_ = options_.first_line;
  context_ = context_for(Container::kLines);
}

bool JsonFramer::refill() {
  if (eof_) return false;
  pos_ = 0;
  try {
    end_ = source_.read(buffer_.data(), buffer_.size());
  } catch (const io::IoError& error) {
    // Like the end of input: the records before it (and the one it cut) are still handed out,
    // then next() raises the error where it would have returned false.
    error_ = error.what();
    end_ = 0;
  }
  if (end_ == 0) eof_ = true;
  return end_ > 0;
}

void JsonFramer::set_container(Container container) {
  if (context_->container == container && !pending_context_) return;
  if (pending_context_ && pending_context_->container == container) return;
  pending_context_ = context_for(container);
}

void JsonFramer::append_record_bytes(const char* data, std::size_t size) {
  if (dropping_ || size == 0) return;
  io::Chunk& chunk = *chunk_;
  std::size_t record_size = chunk.size - record_start_ + size;
  if (record_size > options_.max_record) {
    chunk.size = record_start_;
    dropping_ = true;
    return;
  }
  if (chunk.size + size + 1 > chunk.capacity) {
    chunk.reserve(std::max(chunk.capacity * 2, chunk.size + size + 1), chunk.size);
  }
  char* dst = chunk.data.get() + chunk.size;
  std::memcpy(dst, data, size);
  flatten_line_breaks(dst, size);
  chunk.size += size;
}

// Where the block scan copies the next `bytes` of the record to: the chunk's end, after what was
// captured before pos_; null when the record is being dropped.
char* JsonFramer::scan_output(std::size_t bytes) {
  flush_capture(pos_);
  if (dropping_) return nullptr;
  io::Chunk& chunk = *chunk_;
  std::size_t need = chunk.size + bytes + kScanOutSlack + 1;
  if (need > chunk.capacity) chunk.reserve(std::max(chunk.capacity * 2, need), chunk.size);
  return chunk.data.get() + chunk.size;
}

// The scan copied `bytes` from pos_ on (when `written`): they are captured, unless the record is
// now too long, as append_record_bytes decides.
void JsonFramer::commit_scanned(std::size_t bytes, bool written) {
  capture_start_ = pos_ + bytes;
  if (!written) return;
  io::Chunk& chunk = *chunk_;
  chunk.size += bytes;
  if (chunk.size - record_start_ > options_.max_record) {
    chunk.size = record_start_;
    dropping_ = true;
  }
}

void JsonFramer::flush_capture(std::size_t end) {
  if (!in_record()) return;
  append_record_bytes(buffer_.data() + capture_start_, end - capture_start_);
  capture_start_ = end;
}

void JsonFramer::begin_record() {
  if (pending_context_) {
    context_ = std::move(pending_context_);
    pending_context_.reset();
  }
  record_depth_ = static_cast<int>(stack_.size());
  scalar_record_ = false;
  dropping_ = false;
  capture_start_ = pos_;
  record_start_ = chunk_->size;
  record_line_ = line_;
}

void JsonFramer::end_record() {
  flush_capture(pos_);
  io::Chunk& chunk = *chunk_;
  if (dropping_) {
    chunk.size = record_start_;
    chunk.dropped_records.push_back(static_cast<std::uint32_t>(chunk.record_lines.size()));
  }
  chunk.reserve(chunk.size + 1, chunk.size);
  chunk.data[chunk.size++] = '\n';
  chunk.record_lines.push_back(record_line_);
  record_depth_ = -1;
  scalar_record_ = false;
  dropping_ = false;
}

void JsonFramer::finish_columns() {
  auto ctx = std::make_shared<InputContext>();
  ctx->container = Container::kRestRows;
  simdjson::dom::parser parser;
  simdjson::dom::array columns;
  if (parser.parse(columns_text_).get_array().get(columns) == simdjson::SUCCESS) {
    for (simdjson::dom::element column : columns) {
      std::string_view name;
      if (column["name"].get_string().get(name) != simdjson::SUCCESS) name = {};
      ctx->columns.emplace_back(name);
    }
  }
  ctx->column_ids = columns_for(ctx->columns);
  table_context_ = std::move(ctx);
  columns_text_.clear();
}

void JsonFramer::finish_api_error() {
  std::string_view code;
  std::string_view message;
  std::string_view detail;
  simdjson::dom::parser parser;
  simdjson::dom::object error;
  if (parser.parse(columns_text_).get_object().get(error) == simdjson::SUCCESS) {
    if (error["code"].get_string().get(code) != simdjson::SUCCESS) code = {};
    if (error["message"].get_string().get(message) != simdjson::SUCCESS) message = {};
    simdjson::dom::array details;
    if (error["details"].get_array().get(details) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : details) {
        // The innermost message says which limit was hit ("Query result set has exceeded ...").
        if (item["innererror"]["message"].get_string().get(detail) == simdjson::SUCCESS) break;
        if (item["message"].get_string().get(detail) == simdjson::SUCCESS) break;
        detail = {};
      }
    }
  }
  std::string text(code.empty() ? std::string_view("an error") : code);
  if (!message.empty()) text.append(": ").append(message);
  if (!detail.empty() && detail != message) text.append(" (").append(detail).append(")");
  if (text.size() > kMaxApiError) {
    std::size_t cut = kMaxApiError;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8
    text.resize(cut);
    text += "...";
  }
  if (api_error_.empty()) api_error_ = std::move(text);  // the first one, if a file holds several
  columns_text_.clear();
}

// Pushes the frame of an object/array opened at the current position, with its role.
void JsonFramer::open_value(char c) {
  bool is_object = c == '{';
  Role role = Role::kPlain;
  if (stack_.empty()) {
    role = open_top_level(is_object);
  } else if (!in_record() || in_top_object_record()) {
    role = role_inside(stack_.back().role, is_object);
  }
  stack_.push_back(Frame{role, is_object, is_object});
}

// A top-level object is a record until it turns out to hold a batch; a top-level array's
// elements are records.
JsonFramer::Role JsonFramer::open_top_level(bool is_object) {
  if (is_object) {
    begin_record();
    return Role::kTopObject;
  }
  if (options_.top_array_container) {  // the array is one record (a get-query-results row)
    set_container(*options_.top_array_container);
    begin_record();
    return Role::kPlain;
  }
  set_container(Container::kJsonArray);
  return Role::kRecordArray;
}

// The role of a value opened directly inside a frame of role `parent`, outside any record (or in
// the top-level object that is still being captured as one).
JsonFramer::Role JsonFramer::role_inside(Role parent, bool is_object) {
  switch (parent) {
    case Role::kRecordArray:
      begin_record();
      return Role::kPlain;
    case Role::kTopObject:
      return role_in_top_object(is_object);
    case Role::kTablesArray:
      table_context_.reset();
      return is_object ? Role::kTable : Role::kPlain;
    case Role::kTable:
      return role_in_table(is_object);
    case Role::kPlain:
    case Role::kColumnsArray:
    case Role::kApiError:
      break;
  }
  return Role::kPlain;
}

namespace {

// The container of the records in a depth-1 array under `key`, or nullopt for no batch key.
// `tables` (REST) is handled apart: its elements are tables, not records.
std::optional<Container> batch_container(std::string_view key) {
  if (key == "items") return Container::kEventList;
  if (key == "records") return Container::kRecords;
  if (key == "events") return Container::kCwlEvents;        // aws logs filter-log-events
  if (key == "logEvents") return Container::kCwlLogEvents;  // CloudWatch subscription data
  if (key == "results") return Container::kQueryRows;       // aws logs get-query-results
  return std::nullopt;
}

}  // namespace

// In the top-level object: `tables` or a batch key (batch_container) make it a batch, `error`
// is a REST response's error member.
JsonFramer::Role JsonFramer::role_in_top_object(bool is_object) {
  if (is_object && !in_record() && last_key_ == "error") {
    return Role::kApiError;  // {"tables":[...],"error":{"code":"PartialError",...}}
  }
  std::optional<Container> batch = batch_container(last_key_);
  if (is_object || (!batch && last_key_ != "tables")) return Role::kPlain;
  chunk_->size = record_start_;  // it is a batch, not a record: drop the capture
  record_depth_ = -1;
  dropping_ = false;
  if (!batch) return Role::kTablesArray;
  set_container(*batch);
  return Role::kRecordArray;
}

// In a REST table: `columns` is captured, `rows` holds the records, read with the columns.
JsonFramer::Role JsonFramer::role_in_table(bool is_object) {
  if (is_object) return Role::kPlain;
  if (last_key_ == "columns") {
    columns_text_.clear();
    return Role::kColumnsArray;
  }
  if (last_key_ != "rows") return Role::kPlain;
  if (!table_context_) {
    auto ctx = std::make_shared<InputContext>();
    ctx->container = Container::kRestRows;
    table_context_ = std::move(ctx);
  }
  if (context_ != table_context_) pending_context_ = table_context_;
  return Role::kRecordArray;
}

void JsonFramer::close_value() {
  if (stack_.empty()) return;  // unbalanced: ignore, the decoders will count the damage
  Frame frame = stack_.back();
  stack_.pop_back();
  if (frame.role == Role::kColumnsArray) finish_columns();
  if (frame.role == Role::kApiError) finish_api_error();
  if (in_record() && !scalar_record_ && static_cast<int>(stack_.size()) == record_depth_) {
    end_record();
  }
}

// Finds the end of the current string with find_quote: a quote preceded by an even run of
// backslashes closes it. An escape pending from the previous buffer skips the first byte.
// Aligned to a cache line, like scan_buffer (see next()).
[[gnu::aligned(64)]] const char* JsonFramer::scan_string(const char* p, const char* end) {
  const char* start = p;
  if (escape_ && p < end) {
    escape_ = false;
    ++p;
  }
  const char* from = p;
  for (;;) {
    const char* found = find_quote(p, end);
    const char* quote = found == end ? nullptr : found;
    const char* stop = found;
    std::size_t backslashes = 0;
    for (const char* b = stop; b > from && b[-1] == '\\'; --b) ++backslashes;
    if (quote == nullptr) {
      escape_ = backslashes % 2 == 1;
      if (key_capture_ && key_.size() < 256) key_.append(start, static_cast<std::size_t>(end - start));
      if (capturing_columns_ && columns_text_.size() < kMaxCapture) {
        columns_text_.append(start, static_cast<std::size_t>(end - start));
      }
      return end;
    }
    if (backslashes % 2 == 1) {
      p = quote + 1;
      continue;
    }
    in_string_ = false;
    if (key_capture_) {
      key_.append(start, static_cast<std::size_t>(quote - start));
      last_key_ = key_;
      key_capture_ = false;
    }
    if (capturing_columns_ && columns_text_.size() < kMaxCapture) {
      columns_text_.append(start, static_cast<std::size_t>(quote + 1 - start));
    }
    return quote + 1;
  }
}

// next() in steps. The per-token ones run for every token of the document (the serial stage of
// a big JSON export): they are inline, and must stay so (nm shows no symbol of theirs), so that
// scan_buffer's loop is as tight as one function. scan_buffer and scan_string start on a cache
// line: where the linker happened to put them otherwise moved the framer's time by up to 7%
// from one unrelated change to the next.

bool JsonFramer::next(io::Chunk& chunk, std::shared_ptr<const InputContext>& context) {
  start_chunk(chunk);
  bool done = false;
  while (!done && fill_buffer()) done = scan_buffer();
  context = context_;
  return finish_chunk(chunk);
}

void JsonFramer::start_chunk(io::Chunk& chunk) {
  chunk.clear_metadata();
  chunk.slack = options_.slack;
  if (chunk.capacity > 4 * options_.chunk_size) chunk.shrink(options_.chunk_size);
  chunk.reserve(options_.chunk_size, 0);
  chunk_ = &chunk;
}

// Makes sure there are bytes to scan. False at the end of input, once the record it cut off (if
// any) is ended.
bool JsonFramer::fill_buffer() {
  if (pos_ != end_) return true;
  flush_capture(end_);
  bool more = refill();
  capture_start_ = pos_;  // everything before was flushed; refill may have reset pos_
  if (!more && in_record()) end_record();  // a record cut off by the end of input
  return more;
}

// Runs the state machine over the buffered bytes. True when the chunk is done: past its target
// size at a record boundary, or before a record that needs another context.
[[gnu::aligned(64)]] bool JsonFramer::scan_buffer() {
  const char* base = buffer_.data();
  const char* end = base + end_;
  while (pos_ < end_) {
    if (step(base, end)) return true;
  }
  return false;
}

// One step at pos_: a string's bytes, a run of whitespace, or one token. True when the chunk is
// done.
inline bool JsonFramer::step(const char* base, const char* end) {
  if (fast_) return step_inside_record(base);
  if (in_string_) return step_in_string(base, end);
  char c = base[pos_];
  // Whitespace between tokens (most of a pretty-printed export outside strings) goes in runs,
  // unless a scalar record or a columns capture must see it.
  if (is_blank(c) && !scalar_record_ && !capturing_columns_) return skip_blank_run(base);
  if (in_record() && scalar_record_) {
    if (stack_.empty()) return step_stray_text(c);
    if (ends_scalar(c)) {
      end_record();  // a number or literal element ends at its delimiter
      if (chunk_full()) return true;
    }
  }
  Frame* top = stack_.empty() ? nullptr : &stack_.back();
  bool record_slot = !in_record() && (top == nullptr || top->role == Role::kRecordArray);
  if (record_slot && pending_context_ && chunk_->size > 0 && (c != '[' || top != nullptr) &&
      starts_value(c, top)) {
    return true;  // this record needs a new context: start it in the next chunk
  }
  if (capturing_columns_ && columns_text_.size() < kMaxCapture) columns_text_.push_back(c);
  on_token(c, top, record_slot, base);
  ++pos_;
  return !in_record() && chunk_full();
}

// Inside a record array's element: to its closing bracket (which closes the record the usual
// way) or the buffer's end, counting its lines.
// The scan copies the record's bytes into the chunk from the loads it classifies them with.
inline bool JsonFramer::step_inside_record(const char* base) {
  std::size_t available = end_ - pos_;
  char* out = scan_output(available);
  std::size_t at = scan_value_end(base + pos_, available, fast_scan_, out);
  line_ += fast_scan_.newlines;
  fast_scan_.newlines = 0;
  commit_scanned(at, out != nullptr);
  if (at == available) {
    pos_ = end_;
    return false;
  }
  pos_ += at;
  fast_ = false;
  close_container();
  ++pos_;
  return !in_record() && chunk_full();
}

// Inside a string: up to its closing quote or the buffer's end. A string that is a record of its
// own (an array element) ends with its closing quote.
inline bool JsonFramer::step_in_string(const char* base, const char* end) {
  pos_ = static_cast<std::size_t>(scan_string(base + pos_, end) - base);
  if (in_string_ || !in_record() || !scalar_record_ || stack_.empty() ||
      static_cast<int>(stack_.size()) != record_depth_) {
    return false;
  }
  end_record();
  return chunk_full();
}

// The whole run of whitespace at pos_, counting lines.
inline bool JsonFramer::skip_blank_run(const char* base) {
  do {
    if (base[pos_] == '\n') ++line_;
    ++pos_;
  } while (pos_ < end_ && is_blank(base[pos_]));
  return !in_record() && chunk_full();
}

// Stray text at top level runs to the end of its line.
inline bool JsonFramer::step_stray_text(char c) {
  if (c != '\n') {
    ++pos_;
    return false;
  }
  end_record();  // before the line break: it is not part of the record
  ++line_;
  ++pos_;
  return chunk_full();
}

// Could `c` start a value where `top` is? A string in an object that expects a key is a key.
inline bool JsonFramer::starts_value(char c, const Frame* top) {
  if (c == '"') return !(top && top->is_object && top->expect_key);
  return c != ',' && c != ':' && c != '}' && c != ']' && !is_blank(c);
}

// The token `c` outside strings, at pos_ (which a run of indentation moves to its last byte).
inline void JsonFramer::on_token(char c, Frame* top, bool record_slot, const char* base) {
  switch (c) {
    case '\n':
      ++line_;
      break;
    case '"':
      open_string(top, record_slot);
      break;
    case '{':
    case '[':
      open_container(c);
      if (record_slot && top != nullptr) {  // an element of a record array: scan to its end
        fast_ = true;
        fast_scan_ = ValueScan{};
        fast_scan_.depth = 1;
      }
      break;
    case '}':
    case ']':
      close_container();
      break;
    case ',':
      if (top && top->is_object) top->expect_key = true;
      break;
    case ':':
      if (top && top->is_object) top->expect_key = false;
      break;
    case ' ':
    case '\t':
    case '\r':
      // Indentation runs are long in pretty-printed exports: skip them in one go.
      while (pos_ + 1 < end_ && base[pos_ + 1] == ' ' && !capturing_columns_) ++pos_;
      break;
    default:
      if (record_slot) begin_scalar_record();
      break;
  }
}

// A string starts: a record of its own in a record slot; a key worth remembering in the frames
// whose keys decide roles.
inline void JsonFramer::open_string(const Frame* top, bool record_slot) {
  if (record_slot) begin_scalar_record();
  in_string_ = true;
  if (top && top->is_object && top->expect_key) {
    key_capture_ = top->role == Role::kTopObject || top->role == Role::kTable;
    key_.clear();
  }
}

// An object or array opens; a REST columns array or error member starts being captured.
inline void JsonFramer::open_container(char c) {
  open_value(c);
  if (stack_.back().role == Role::kColumnsArray || stack_.back().role == Role::kApiError) {
    capturing_columns_ = true;
    columns_depth_ = static_cast<int>(stack_.size());
    columns_text_.assign(1, c);
  }
}

// An object or array closes (and with it, maybe a capture and a record).
inline void JsonFramer::close_container() {
  if (capturing_columns_ && static_cast<int>(stack_.size()) == columns_depth_) {
    capturing_columns_ = false;
  }
  ++pos_;  // the closing byte belongs to the record that close_value may end
  close_value();
  --pos_;
}

inline void JsonFramer::begin_scalar_record() {
  begin_record();
  scalar_record_ = true;
}

// False at the end of input (throwing the read error that ended it, if any); otherwise pads the
// chunk's slack for simdjson.
bool JsonFramer::finish_chunk(io::Chunk& chunk) {
  if (chunk.size == 0 && eof_ && pos_ == end_) {
    if (error_) {
      std::string message = std::move(*error_);
      error_.reset();
      throw io::IoError(std::move(message));
    }
    return false;
  }
  std::memset(chunk.data.get() + chunk.size, ' ', chunk.slack);
  return chunk.size > 0 || !(eof_ && pos_ == end_);
}

}  // namespace kubeblame::decode
