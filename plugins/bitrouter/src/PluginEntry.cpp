// PluginEntry: the bitrouter plugin's manifest and its one exported entry.

#include "agent/Plugin.hpp"
#include "agent/bitrouter/BitRouterProvider.hpp"

namespace {

constexpr std::string_view kAutoEnableKeys[] = {"BITROUTER_API_KEY", "BITROUTER_BASE_URL"};

constexpr agent::SettingSpec kSettings[] = {
    {"BITROUTER_BASE_URL", "http://127.0.0.1:4356",
     "BitRouter's address; http:// or https://, a path prefix is kept", false},
    {"BITROUTER_API_KEY", nullptr, "brvk_ virtual key; optional when BitRouter runs with skip_auth",
     true},
    {"BITROUTER_SMALL_MODEL", "gpt-4o-mini", "TEXT_SMALL model (also NANO and MEDIUM)", false},
    {"BITROUTER_LARGE_MODEL", "gpt-4o",
     "TEXT_LARGE model (also MEGA, RESPONSE_HANDLER, ACTION_PLANNER)", false},
    {"BITROUTER_NANO_MODEL", nullptr, "TEXT_NANO model; falls back to the SMALL model", false},
    {"BITROUTER_MEDIUM_MODEL", nullptr, "TEXT_MEDIUM model; falls back to the SMALL model", false},
    {"BITROUTER_MEGA_MODEL", nullptr, "TEXT_MEGA model; falls back to the LARGE model", false},
    {"BITROUTER_RESPONSE_HANDLER_MODEL", nullptr,
     "RESPONSE_HANDLER model; falls back to the LARGE model", false},
    {"BITROUTER_ACTION_PLANNER_MODEL", nullptr,
     "ACTION_PLANNER model; falls back to the LARGE model", false},
    {"BITROUTER_PRIORITY", "0", "registration priority (a number); higher wins", false},
    {"BITROUTER_STRUCTURED_OUTPUTS", "false",
     "true/1/yes: strict json_schema for responseSchema calls (else json_object)", false},
    {"BITROUTER_TIMEOUT_MS", "300000", "whole-call deadline, retries included", false},
    {"BITROUTER_CONNECT_TIMEOUT_MS", "10000", "TCP (and TLS) connect timeout", false},
    {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "90000", "longest silence allowed inside a stream", false},
    {"BITROUTER_MAX_RETRIES", "2", "retries of 429/503/504 and failed connects (0-10)", false},
    {"BITROUTER_MAX_RESPONSE_BYTES", "16777216", "largest response body accepted", false},
};

constexpr agent::PluginManifest kManifest{
    agent::bitrouter::BitRouterProvider::kName,
    "Routes text-model calls through a running BitRouter (OpenAI-compatible /v1/chat/completions)",
    AGENT_BITROUTER_VERSION,
    0,
    "BITROUTER_PRIORITY",
    kAutoEnableKeys,
    kSettings,
};

}  // namespace

AGENT_PLUGIN(agent::bitrouter::BitRouterProvider, kManifest)
