// A valid shared library that exports no agent_plugin_entry (a stray dependency in the directory).
extern "C" __attribute__((visibility("default"))) int agent_faults_not_a_plugin() {
  return 7;
}
