# agent_add_plugin(<target> SOURCES <src>... [LIBRARIES <lib>...] [OUTPUT_NAME <name>]
#                  [OUTPUT_DIRECTORY <dir>])
#
# Builds a provider plugin the host can load: a MODULE library named <name>.so that
#   * exports only its entry and descriptor (hidden visibility, inline functions hidden too);
#   * is really unloaded when the host lets it go (-fno-gnu-unique on GCC: header statics would
#     otherwise become STB_GNU_UNIQUE symbols, which make glibc keep the library forever);
#   * finds libraries shipped beside it ($ORIGIN RUNPATH);
#   * has no undefined symbols (-Wl,--no-undefined), so a missing library is a link error here
#     rather than a load failure in the host.
function(agent_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME;OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET agent_plugin_api)
    target_link_libraries(${target} PRIVATE agent_plugin_api)
  else()
    target_link_libraries(${target} PRIVATE Agent::PluginApi)
  endif()
  if(ARG_LIBRARIES)
    target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES})
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    BUILD_RPATH "$ORIGIN"
    INSTALL_RPATH "$ORIGIN")
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED AGENT_PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${AGENT_PLUGIN_OUTPUT_DIRECTORY})
  endif()
  # Sanitizer runtimes resolve their symbols from the host executable, so --no-undefined would
  # reject every sanitized plugin.
  if(NOT AGENT_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
