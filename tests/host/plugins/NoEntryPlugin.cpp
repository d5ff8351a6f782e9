// A valid shared library that is not an agent-host plugin: it exports no agent_plugin_entry.
extern "C" __attribute__((visibility("default"))) int agent_test_not_a_plugin() {
  return 42;
}
