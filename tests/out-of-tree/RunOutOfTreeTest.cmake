# ctest driver (cmake -P): install the built project into a temporary prefix, build and install
# tests/out-of-tree against it, then check that the installed agent-host finds and runs the new
# plugin from its default plugins directory.
#   -DBUILD_DIR=<the project's build tree> -DSOURCE_DIR=<tests/out-of-tree> -DWORK_DIR=<scratch>
#   [-DPLUGIN_CXX=<compiler for the plugin, e.g. clang++: a plugin built with another compiler
#    against the same libstdc++ must load>]
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunOutOfTreeTest.cmake needs -D${var}=...")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})

function(run_step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

run_step("install the project" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(installed bin/agent-host bin/bitrouter-standin include/agent/Plugin.hpp
    include/agent/testing/FakeHostServices.hpp include/agent/testing/LoadPluginForTest.hpp)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "the install lacks ${installed}")
  endif()
endforeach()

set(compiler_args)
if(PLUGIN_CXX)
  set(compiler_args -DCMAKE_CXX_COMPILER=${PLUGIN_CXX})
endif()
if(SANITIZE_FLAGS)  # the installed tree was built with a sanitizer: link the same runtime
  list(APPEND compiler_args "-DCMAKE_CXX_FLAGS=${SANITIZE_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}" "-DCMAKE_MODULE_LINKER_FLAGS=${SANITIZE_FLAGS}"
    "-DCMAKE_SHARED_LINKER_FLAGS=${SANITIZE_FLAGS}")
endif()
run_step("configure the out-of-tree plugin" ${CMAKE_COMMAND} -S ${SOURCE_DIR}
  -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release ${compiler_args})
run_step("build the out-of-tree plugin" ${CMAKE_COMMAND} --build ${WORK_DIR}/build -j2)
run_step("the out-of-tree plugin's own tests" ${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build
  --output-on-failure)
run_step("install the out-of-tree plugin" ${CMAKE_COMMAND} --install ${WORK_DIR}/build)

# No AGENT_PLUGINS_DIR: the installed host must find <prefix>/lib.../agent-host/plugins itself.
set(host ${CMAKE_COMMAND} -E env --unset=AGENT_PLUGINS_DIR ECHO_PROVIDER=1 ${prefix}/bin/agent-host)
run_step("agent-host providers --json" ${host} providers --json)
set(json "${step_output}")
string(JSON count LENGTH "${json}" plugins)
set(found_hello FALSE)
set(found_echo FALSE)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" plugins ${i} name)
  string(JSON status GET "${json}" plugins ${i} status)
  if(name STREQUAL "hello" AND status STREQUAL "loaded")
    set(found_hello TRUE)
  endif()
  if(name STREQUAL "echo" AND status STREQUAL "loaded")
    set(found_echo TRUE)
  endif()
endforeach()
if(NOT found_hello OR NOT found_echo)
  message(FATAL_ERROR "providers --json lacks a loaded hello and echo plugin:\n${json}")
endif()

run_step("agent-host generate" ${host} generate --provider hello "out of tree")
if(NOT step_output STREQUAL "hello, out of tree\n")
  message(FATAL_ERROR "unexpected generate output: '${step_output}'")
endif()
message(STATUS "out-of-tree plugin built, installed and loaded")
