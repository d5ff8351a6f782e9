# Compiles the C++ snippet of README.md's "Embedding the host" section the way an application
# would: the snippet's #include and using lines at file scope, its statements in main(), under the
# warnings the example builds with (-Wall -Wextra -Wpedantic -Werror). Syntax only: no link.
#   cmake -DREADME=... -DWORK_DIR=... -DCXX=... -DINCLUDE_DIRS="a;b" -P CompileReadmeSnippet.cmake
file(READ ${README} readme)
string(FIND "${readme}" "## Embedding the host" section)
if(section EQUAL -1)
  message(FATAL_ERROR "README.md has no \"## Embedding the host\" section")
endif()
string(SUBSTRING "${readme}" ${section} -1 readme)
string(FIND "${readme}" "```cpp\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "the embedding section of README.md has no ```cpp block")
endif()
math(EXPR start "${start} + 7")
string(SUBSTRING "${readme}" ${start} -1 readme)
string(FIND "${readme}" "```" end)
string(SUBSTRING "${readme}" 0 ${end} snippet)

# Lines of the snippet: preprocessor and using-directives go first, the rest into main().
string(REPLACE ";" "\\;" snippet "${snippet}")
string(REPLACE "\n" ";" lines "${snippet}")
set(head "")
set(body "")
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line MATCHES "^using ")
    string(APPEND head "${line}\n")
  else()
    string(APPEND body "  ${line}\n")
  endif()
endforeach()
set(source ${WORK_DIR}/readme-snippet.cpp)
file(WRITE ${source} "${head}\nint main() {\n${body}}\n")

set(include_flags "")
foreach(dir IN LISTS INCLUDE_DIRS)
  list(APPEND include_flags -I${dir})
endforeach()
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror ${include_flags}
    ${source}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "README.md's embedding snippet does not compile (${source}):\n${out}${err}")
endif()
message(STATUS "README.md's embedding snippet compiles")
