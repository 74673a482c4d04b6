// Streams JSON documents that are not one-record-per-line (pretty-printed `az ... -o json`
// arrays, REST `tables` responses, EventLists, Event Hub batches, `jq .` output) into chunks of
// one record per line, without holding the document in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kubeblame/decode/json_scan.h"
#include "kubeblame/decode/record.h"
#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/chunk.h"

namespace kubeblame::decode {

struct FramerOptions {
  std::size_t chunk_size = 1 << 20;
  std::size_t slack = 64;
  std::size_t max_record = 128ull << 20;
  std::size_t read_size = 1 << 20;
  std::uint64_t first_line = 1;
  // When set, a top-level array is one record read with this container, not an array of
  // records (a bare get-query-results row: an array of {"field","value"} cells).
  std::optional<Container> top_array_container;
};

class JsonFramer {
 public:
  JsonFramer(io::ByteSource& source, FramerOptions options);

  // Fills `chunk` with whole records, one per line, all sharing `context`. Returns false at the
  // end of input. A read error ends the input: the records before it (and the one it cut, as a
  // partial record) are still returned, and the IoError is thrown by the call that would have
  // returned false.
  bool next(io::Chunk& chunk, std::shared_ptr<const InputContext>& context);

  // A Log Analytics REST response that carries an "error" member next to its tables: the query
  // API hit a limit (code PartialError, e.g. the ~64 MB result size cap) and returned only part
  // of the rows. "<code>: <message> (<first detail>)", cut at 500 bytes; empty without one.
  const std::string& api_error() const { return api_error_; }

 private:
  enum class Role : std::uint8_t {
    kPlain,         // inside a record, or a value nobody needs
    kTopObject,     // a top-level object: a record, unless it turns out to hold a batch
    kRecordArray,   // its elements are records
    kTablesArray,   // REST: its elements are tables
    kTable,         // REST: a table object with "columns" and "rows"
    kColumnsArray,  // REST: captured to learn the column names
    kApiError,      // REST: the response's "error" member (a PartialError), captured
  };
  struct Frame {
    Role role;
    bool is_object;
    bool expect_key;
  };

  // next()'s steps; those that return bool return true when the chunk is done.
  void start_chunk(io::Chunk& chunk);
  bool fill_buffer();
  bool scan_buffer();
  bool finish_chunk(io::Chunk& chunk);
  bool step(const char* base, const char* end);
  bool step_in_string(const char* base, const char* end);
  bool step_inside_record(const char* base);
  bool skip_blank_run(const char* base);
  bool step_stray_text(char c);
  static bool starts_value(char c, const Frame* top);
  static bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  static bool ends_scalar(char c) { return c == ',' || c == ']' || c == '}' || is_blank(c); }
  void on_token(char c, Frame* top, bool record_slot, const char* base);
  void open_string(const Frame* top, bool record_slot);
  void open_container(char c);
  void close_container();
  void begin_scalar_record();
  bool chunk_full() const { return chunk_->size >= options_.chunk_size; }

  bool refill();
  void open_value(char c);
  Role open_top_level(bool is_object);
  Role role_inside(Role parent, bool is_object);
  Role role_in_top_object(bool is_object);
  Role role_in_table(bool is_object);
  bool in_top_object_record() const {
    return record_depth_ == 0 && stack_.size() == 1 && stack_[0].role == Role::kTopObject;
  }
  void close_value();
  void begin_record();
  void end_record();
  void flush_capture(std::size_t end);
  char* scan_output(std::size_t bytes);
  void commit_scanned(std::size_t bytes, bool written);
  void append_record_bytes(const char* data, std::size_t size);
  bool in_record() const { return record_depth_ >= 0; }
  void set_container(Container container);
  void finish_columns();
  void finish_api_error();
  const char* scan_string(const char* p, const char* end);

  io::ByteSource& source_;
  FramerOptions options_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::optional<std::string> error_;  // a read error, raised once the records before it are out
  std::uint64_t line_ = 1;

  std::vector<Frame> stack_;
  bool in_string_ = false;
  bool escape_ = false;
  bool key_capture_ = false;     // collecting a key at a depth that matters
  std::string key_;
  std::string last_key_;
  bool after_colon_ = false;

  // The record being captured: depth of its frame (-1: none; stack_.size() for scalars).
  int record_depth_ = -1;
  bool scalar_record_ = false;
  std::size_t capture_start_ = 0;   // in buffer_
  std::size_t record_start_ = 0;    // in the chunk
  std::uint64_t record_line_ = 0;
  bool dropping_ = false;
  io::Chunk* chunk_ = nullptr;
  // Inside an element of a record array nothing decides a role: the block scan
  // (json_scan.h) runs to the record's closing bracket instead of the per-token steps.
  bool fast_ = false;
  ValueScan fast_scan_;

  // Columns array or error member capture (REST), bounded by kMaxCapture.
  bool capturing_columns_ = false;
  int columns_depth_ = -1;
  std::string columns_text_;
  std::string api_error_;

  std::shared_ptr<const InputContext> context_;
  std::shared_ptr<const InputContext> pending_context_;
  std::shared_ptr<InputContext> table_context_;
};

}  // namespace kubeblame::decode
