// A library a test plugin depends on (TEST_PLUGIN_NEEDS_DEPENDENCY), shipped beside it: found
// through agent_add_plugin's $ORIGIN RUNPATH, or missing when the test leaves it out.
extern "C" __attribute__((visibility("default"))) int agent_test_dependency_answer() {
  return 42;
}
