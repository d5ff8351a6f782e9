// AGENT_API_VISIBLE: keeps an interface's type information visible across the plugin boundary
// when a plugin is built with hidden visibility (as agent_add_plugin() builds it).
#pragma once

#if defined(__GNUC__)
#define AGENT_API_VISIBLE __attribute__((visibility("default")))
#else
#define AGENT_API_VISIBLE
#endif
