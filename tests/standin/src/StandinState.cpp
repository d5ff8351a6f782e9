#include "StandinState.hpp"

#include <algorithm>
#include <utility>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::standin {
namespace {

// GET /v1/models: the union of the catalog, sorted by id, each providers list sorted.
std::string renderModels(const std::vector<CatalogModel>& catalog, bool codex) {
  std::map<std::string, std::vector<std::string>> byId;
  for (const auto& model : catalog) {
    auto& providers = byId[model.id];
    providers.insert(providers.end(), model.providers.begin(), model.providers.end());
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  auto writeData = [&] {
    writer.StartArray();
    for (auto& [id, providers] : byId) {
      std::sort(providers.begin(), providers.end());
      providers.erase(std::unique(providers.begin(), providers.end()), providers.end());
      writer.StartObject();
      writer.Key("id");
      writer.String(id);
      writer.Key("object");
      writer.String("model");
      writer.Key("providers");
      writer.StartArray();
      for (const auto& provider : providers)
        writer.String(provider);
      writer.EndArray();
      writer.EndObject();
    }
    writer.EndArray();
  };
  writer.StartObject();
  writer.Key("object");
  writer.String("list");
  writer.Key("data");
  writeData();
  if (codex) {  // Codex reads "models" instead of "data"
    writer.Key("models");
    writeData();
  }
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace

StandinState::StandinState(StandinOptions options)
    : options_(std::move(options)),
      modelsBody_(renderModels(options_.catalog, false)),
      modelsCodexBody_(renderModels(options_.catalog, true)) {}

void StandinState::pushScript(const ResponseScript& script, int count) {
  std::lock_guard lock(dataMutex_);
  for (int i = 0; i < count; ++i)
    scripts_.push_back(script);
}

std::optional<ResponseScript> StandinState::popScript() {
  std::lock_guard lock(dataMutex_);
  if (scripts_.empty()) return std::nullopt;
  ResponseScript script = std::move(scripts_.front());
  scripts_.pop_front();
  return script;
}

void StandinState::clearScripts() {
  std::lock_guard lock(dataMutex_);
  scripts_.clear();
}

std::size_t StandinState::queuedScripts() const {
  std::lock_guard lock(dataMutex_);
  return scripts_.size();
}

void StandinState::record(const HttpRequest& request) {
  RecordedRequest recorded{request.method, request.path, request.headers, request.body,
                           request.receivedAt};
  std::lock_guard lock(dataMutex_);
  if (options_.maxRecordedRequests == 0) return;
  if (records_.size() >= options_.maxRecordedRequests) records_.pop_front();
  records_.push_back(std::move(recorded));
}

std::vector<RecordedRequest> StandinState::records() const {
  std::lock_guard lock(dataMutex_);
  return {records_.begin(), records_.end()};
}

void StandinState::resetRecords() {
  std::lock_guard lock(dataMutex_);
  records_.clear();
  lastStreamFrame_.reset();
  chatRequests_.store(0);
  connections_.store(0);
}

void StandinState::markStreamFrameSent() {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(dataMutex_);
  lastStreamFrame_ = now;
}

std::optional<std::chrono::steady_clock::time_point> StandinState::lastStreamFrameSentAt() const {
  std::lock_guard lock(dataMutex_);
  return lastStreamFrame_;
}

bool StandinState::waitFor(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return !stopping();
  std::unique_lock lock(lifecycleMutex_);
  return !lifecycleChanged_.wait_for(lock, duration, [this] { return stopping(); });
}

bool StandinState::openConnection(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(lifecycleMutex_);
  if (stopping()) return false;
  live_.emplace(socket.impl(), socket);
  connections_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void StandinState::closeConnection(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(lifecycleMutex_);
  live_.erase(socket.impl());
}

void StandinState::beginStop() {
  std::lock_guard lock(lifecycleMutex_);
  stopping_.store(true, std::memory_order_release);
  // Shutting down (not closing) is safe while the owner thread still uses the descriptor: the
  // descriptor stays allocated until the connection unregisters, and its reads return 0 at once.
  for (auto& [impl, socket] : live_) {
    try {
      socket.shutdown();
    } catch (...) {  // already shut down or reset by the peer: nothing to do
    }
  }
  lifecycleChanged_.notify_all();
}

void StandinState::resume() {
  std::lock_guard lock(lifecycleMutex_);
  stopping_.store(false, std::memory_order_release);
}

}  // namespace agent::standin
