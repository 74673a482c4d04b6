// Body flattening. The body is parsed whole (simdjson DOM, into a reused padded buffer) before
// any leaf is emitted, so a truncated body emits nothing. The walk builds one jq path in a
// reused string, appending a segment on the way down and cutting it on the way back, and
// decides at each key whether the key is bookkeeping (see the header) from the keys above it.
// JSON Patch operations walk their pointer through the same segment rules, so a patch to
// /spec/replicas and a full object with spec.replicas name the same path.
#include "kubeblame/analyze/fights/body_flattener.h"

#include <simdjson.h>

#include <array>
#include <charconv>
#include <cstring>
#include <fmt/format.h>

namespace kubeblame::analyze {

namespace dom = simdjson::dom;

namespace {

constexpr std::size_t kMaxDepth = 48;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
// Keys that identify an element of a list of objects (Kubernetes merge keys, most used first).
constexpr std::array<std::string_view, 4> kMergeKeys = {"name", "type", "mountPath",
                                                        "containerPort"};
constexpr std::array<std::string_view, 9> kMetadataBookkeeping = {
    "name",       "namespace",    "uid",           "resourceVersion",
    "generation", "selfLink",     "generateName",  "managedFields",
    "deletionGracePeriodSeconds"};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Cuts `text` to at most `max` bytes on a code point boundary and appends "…".
void cut_with_ellipsis(std::string& text, std::size_t max) {
  std::size_t end = std::min(max, text.size());
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  text += kEllipsis;
}

}  // namespace

struct BodyFlattener::Impl {
  dom::parser parser;
  std::string padded;
  std::string path;
  std::string value;
  std::string cut_path;
  std::array<std::string, 2> held_keys;  // root and metadata keys of the current JSON Patch path
  const FlattenOptions* options = nullptr;
  LeafSink* sink = nullptr;
  FlattenResult* result = nullptr;

  // Where the walk is: enough of the keys above to apply the bookkeeping rules.
  struct Scope {
    std::size_t depth = 0;  // number of segments in the path
    std::string_view root_key;
    std::string_view meta_key;
    bool after_select = false;
  };

  bool full() const { return result->leaves >= options->max_leaves; }

  // Appends a key segment; false (path unchanged) when the key is bookkeeping.
  bool push_key(std::string_view key, const Scope& parent, Scope& child) {
    if (!key.empty() && key[0] == '$') return false;
    if (ends_with(key, "Timestamp") || ends_with(key, "Time")) return false;
    if (parent.depth == 0) {
      // "@type" tags a GKE request body with its proto type (k8s.io/Patch), not a field.
      if (key == "apiVersion" || key == "kind" || key == "@type") return false;
      if (options->status_write != (key == "status")) return false;
    } else if (parent.depth == 1 && parent.root_key == "metadata") {
      for (std::string_view ignored : kMetadataBookkeeping) {
        if (key == ignored) return false;
      }
    } else if (parent.depth == 2 && parent.root_key == "metadata" &&
               parent.meta_key == "annotations") {
      if (key == "control-plane.alpha.kubernetes.io/leader") {
        result->leader_lock = true;
        return false;
      }
      if (key == "kubectl.kubernetes.io/last-applied-configuration") return false;
    }
    child = parent;
    child.depth = parent.depth + 1;
    if (parent.depth == 0) child.root_key = key;
    if (parent.depth == 1) child.meta_key = key;
    child.after_select = false;
    append_key_segment(key, parent.after_select);
    return true;
  }

  void append_key_segment(std::string_view key, bool after_select) {
    bool standalone = path.empty() || after_select;  // starts a new jq term: "." or " | ."
    if (path.empty()) path += '.';
    else if (after_select) path += " | .";
    if (is_jq_identifier(key)) {
      if (!standalone) path += '.';
      path += key;
    } else {
      path += '[';
      append_json_quoted(path, key);
      path += ']';
    }
  }

  void push_index(std::string_view index, const Scope& parent, Scope& child) {
    child = parent;
    child.depth = parent.depth + 1;
    child.after_select = false;
    if (path.empty()) path += '.';
    else if (parent.after_select) path += " | .";
    path += '[';
    path += index;
    path += ']';
  }

  void push_select(std::string_view key, dom::element key_value, const Scope& parent,
                   Scope& child) {
    child = parent;
    child.depth = parent.depth + 1;
    child.after_select = true;
    if (path.empty()) path += '.';
    else if (parent.after_select) path += " | .";
    path += "[] | select(.";
    path += key;
    path += " == ";
    // Merge keys are strings or integers (see merge_key()).
    std::string_view text;
    if (key_value.get_string().get(text) == simdjson::SUCCESS) {
      append_json_quoted(path, text);
    } else if (key_value.is_int64()) {
      fmt::format_to(std::back_inserter(path), "{}", int64_t(key_value.get_int64().value_unsafe()));
    } else {
      fmt::format_to(std::back_inserter(path), "{}", uint64_t(key_value.get_uint64().value_unsafe()));
    }
    path += ')';
  }

  void serialize(dom::element element, std::size_t depth) {
    if (value.size() > options->max_value_length + 8) return;  // cut later anyway
    switch (element.type()) {
      case dom::element_type::OBJECT: {
        value += '{';
        bool first = true;
        dom::object object;
        if (element.get_object().get(object) != simdjson::SUCCESS) break;
        for (dom::key_value_pair field : object) {
          if (!first) value += ',';
          first = false;
          append_json_quoted(value, field.key);
          value += ':';
          if (depth < kMaxDepth) serialize(field.value, depth + 1);
          else value += "null";
          if (value.size() > options->max_value_length + 8) return;
        }
        value += '}';
        break;
      }
      case dom::element_type::ARRAY: {
        value += '[';
        bool first = true;
        dom::array array;
        if (element.get_array().get(array) != simdjson::SUCCESS) break;
        for (dom::element child : array) {
          if (!first) value += ',';
          first = false;
          if (depth < kMaxDepth) serialize(child, depth + 1);
          else value += "null";
          if (value.size() > options->max_value_length + 8) return;
        }
        value += ']';
        break;
      }
      case dom::element_type::STRING:
        append_json_quoted(value, std::string_view(element.get_string().value_unsafe()));
        break;
      case dom::element_type::INT64:
        fmt::format_to(std::back_inserter(value), "{}", int64_t(element.get_int64().value_unsafe()));
        break;
      case dom::element_type::UINT64:
        fmt::format_to(std::back_inserter(value), "{}", uint64_t(element.get_uint64().value_unsafe()));
        break;
      case dom::element_type::DOUBLE:
        fmt::format_to(std::back_inserter(value), "{}", double(element.get_double().value_unsafe()));
        break;
      case dom::element_type::BOOL:
        value += element.get_bool().value_unsafe() ? "true" : "false";
        break;
      case dom::element_type::NULL_VALUE:
        value += "null";
        break;
    }
  }

  void emit_text(std::string_view text) {
    if (full() || path.empty()) return;
    ++result->leaves;
    if (path.size() > options->max_path_length) {
      cut_path.assign(path);
      cut_with_ellipsis(cut_path, options->max_path_length);
      sink->on_leaf(cut_path, text);
    } else {
      sink->on_leaf(path, text);
    }
  }

  void emit(dom::element element) {
    value.clear();
    serialize(element, 0);
    if (value.size() > options->max_value_length) cut_with_ellipsis(value, options->max_value_length);
    emit_text(value);
  }

  // The merge key shared by every element of a list of objects, or "" when it is not keyed.
  static std::string_view merge_key(dom::array array) {
    for (std::string_view key : kMergeKeys) {
      bool all = array.size() > 0;
      for (dom::element element : array) {
        dom::object object;
        dom::element key_value;
        if (element.get_object().get(object) != simdjson::SUCCESS ||
            object.at_key(key).get(key_value) != simdjson::SUCCESS ||
            !(key_value.is_string() || key_value.is_int64() || key_value.is_uint64())) {
          all = false;
          break;
        }
      }
      if (all) return key;
    }
    return {};
  }

  static std::string_view element_merge_key(dom::element element) {
    dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) return {};
    for (std::string_view key : kMergeKeys) {
      dom::element key_value;
      if (object.at_key(key).get(key_value) == simdjson::SUCCESS &&
          (key_value.is_string() || key_value.is_int64() || key_value.is_uint64())) {
        return key;
      }
    }
    return {};
  }

  void visit_object(dom::object object, const Scope& scope, std::string_view skip_key = {}) {
    for (dom::key_value_pair field : object) {
      if (full()) return;
      if (!skip_key.empty() && field.key == skip_key) continue;
      std::size_t mark = path.size();
      Scope child;
      if (!push_key(field.key, scope, child)) continue;
      visit(field.value, child);
      path.resize(mark);
    }
  }

  void visit_keyed_element(dom::element element, std::string_view key, const Scope& scope) {
    std::size_t mark = path.size();
    Scope child;
    dom::object object = element.get_object().value_unsafe();
    push_select(key, object.at_key(key).value_unsafe(), scope, child);
    visit_object(object, child, key);
    path.resize(mark);
  }

  void visit(dom::element element, const Scope& scope) {
    if (scope.depth >= kMaxDepth) {
      emit(element);
      return;
    }
    switch (element.type()) {
      case dom::element_type::OBJECT:
        visit_object(element.get_object().value_unsafe(), scope);
        break;
      case dom::element_type::ARRAY: {
        dom::array array = element.get_array().value_unsafe();
        std::string_view key = merge_key(array);
        if (key.empty()) {
          emit(element);
          break;
        }
        for (dom::element child : array) {
          if (full()) return;
          visit_keyed_element(child, key, scope);
        }
        break;
      }
      default:
        emit(element);
    }
  }

  // Walks a JSON Pointer's segments; false when a segment is bookkeeping or the pointer is bad.
  // The last segment becomes a select() when `value` is an object with a merge key.
  bool push_pointer(std::string_view pointer, dom::element* set_value, Scope& scope,
                    std::string& segment) {
    if (pointer.empty()) return true;  // the whole document
    if (pointer[0] != '/') return false;
    std::size_t i = 1;
    while (true) {
      std::size_t end = pointer.find('/', i);
      bool last = end == std::string_view::npos;
      std::string_view raw = pointer.substr(i, last ? std::string_view::npos : end - i);
      segment.clear();
      for (std::size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == '~' && k + 1 < raw.size() && (raw[k + 1] == '0' || raw[k + 1] == '1')) {
          segment += raw[k + 1] == '0' ? '~' : '/';
          ++k;
        } else {
          segment += raw[k];
        }
      }
      bool numeric = !segment.empty() && segment.size() <= 9 &&
                     segment.find_first_not_of("0123456789") == std::string::npos;
      Scope child;
      if (last && set_value != nullptr && (numeric || segment == "-") &&
          !element_merge_key(*set_value).empty()) {
        std::string_view key = element_merge_key(*set_value);
        push_select(key, set_value->get_object().value_unsafe().at_key(key).value_unsafe(), scope,
                    child);
        scope = child;
        return true;
      }
      if (numeric) {
        push_index(segment, scope, child);
      } else if (segment == "-") {
        push_index("", scope, child);
      } else {
        // The scope keeps views of the first two keys: give them storage that outlives `segment`.
        std::string_view key = segment;
        if (scope.depth < held_keys.size()) key = held_keys[scope.depth].assign(segment);
        if (!push_key(key, scope, child)) return false;
      }
      scope = child;
      if (last) return true;
      i = end + 1;
    }
  }

  void visit_patch_value(dom::element set_value, const Scope& scope) {
    dom::object object;
    if (scope.after_select && set_value.get_object().get(object) == simdjson::SUCCESS) {
      visit_object(object, scope, element_merge_key(set_value));
    } else {
      visit(set_value, scope);
    }
  }

  void visit_json_patch(dom::array operations) {
    std::string segment;
    for (dom::element element : operations) {
      if (full()) return;
      dom::object operation = element.get_object().value_unsafe();
      std::string_view op = operation.at_key("op").get_string().value_unsafe();
      std::string_view pointer = operation.at_key("path").get_string().value_unsafe();
      if (op == "test" || op == "copy") continue;
      if (op == "move") {
        std::string_view from;
        if (operation.at_key("from").get_string().get(from) != simdjson::SUCCESS) continue;
        pointer = from;
        op = "remove";
      }
      dom::element operand;
      bool has_value = operation.at_key("value").get(operand) == simdjson::SUCCESS;
      if ((op == "add" || op == "replace") && !has_value) continue;
      if (op != "add" && op != "replace" && op != "remove") continue;
      path.clear();
      Scope scope;
      bool sets = op != "remove";
      if (!push_pointer(pointer, sets ? &operand : nullptr, scope, segment)) continue;
      if (scope.depth == 0 && !sets) continue;  // removing the whole document
      if (sets) {
        visit_patch_value(operand, scope);
      } else {
        emit_text("null");
      }
    }
  }

  static bool is_json_patch(dom::array array) {
    if (array.size() == 0) return false;
    for (dom::element element : array) {
      dom::object object;
      std::string_view text;
      if (element.get_object().get(object) != simdjson::SUCCESS) return false;
      if (object.at_key("op").get_string().get(text) != simdjson::SUCCESS) return false;
      if (object.at_key("path").get_string().get(text) != simdjson::SUCCESS) return false;
    }
    return true;
  }
};

BodyFlattener::BodyFlattener() : impl_(std::make_unique<Impl>()) {}
BodyFlattener::~BodyFlattener() = default;

FlattenResult BodyFlattener::flatten(std::string_view body, const FlattenOptions& options,
                                     LeafSink& sink) {
  FlattenResult result;
  Impl& impl = *impl_;
  impl.options = &options;
  impl.sink = &sink;
  impl.result = &result;
  impl.padded.assign(body);
  impl.padded.append(simdjson::SIMDJSON_PADDING, '\0');
  dom::element root;
  if (impl.parser.parse(impl.padded.data(), body.size(), false).get(root) != simdjson::SUCCESS) {
    return result;
  }
  impl.path.clear();
  dom::object object;
  dom::array array;
  if (root.get_object().get(object) == simdjson::SUCCESS) {
    result.kind = BodyKind::kObject;
    std::string_view kind;
    if (object.at_key("kind").get_string().get(kind) == simdjson::SUCCESS) result.object_kind = kind;
    impl.visit_object(object, Impl::Scope{});
  } else if (root.get_array().get(array) == simdjson::SUCCESS && Impl::is_json_patch(array)) {
    result.kind = BodyKind::kJsonPatch;
    impl.visit_json_patch(array);
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> BodyFlattener::flatten_to_vector(
    std::string_view body, const FlattenOptions& options, FlattenResult* result) {
  struct Collect : LeafSink {
    std::vector<std::pair<std::string, std::string>> leaves;
    void on_leaf(std::string_view path, std::string_view value) override {
      leaves.emplace_back(std::string(path), std::string(value));
    }
  } collect;
  FlattenResult r = flatten(body, options, collect);
  if (result != nullptr) *result = r;
  return std::move(collect.leaves);
}

}  // namespace kubeblame::analyze
