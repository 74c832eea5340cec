# Run after a gtest binary is linked (cmake -P, from orbit_discover_tests in OrbitHelpers.cmake):
# lists its tests and writes CTEST_FILE with one ctest test per gtest suite, which runs that
# suite's cases in one process (--gtest_filter=Suite.*). A case named in LONG_TESTS_FILE
# (cmake/test-costs.txt: the long tests ctest starts first) is a ctest test of its own, under
# its full name, and is left out of its suite's filter.
#
# A suite of more than CASES_PER_TEST cases (default 40) is split into tests Suite/1, Suite/2, ...
# of that many cases each; CASES_PER_TEST 1 registers every case as its own test (Suite.Case),
# for process-level tests whose cases take seconds each.
#
# Inputs: TEST_EXECUTABLE, TEST_WORKING_DIR, TEST_PROPERTIES, CTEST_FILE, LONG_TESTS_FILE,
# TEST_DISCOVERY_TIMEOUT, CASES_PER_TEST.

cmake_minimum_required(VERSION 3.25)

execute_process(
  COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
  WORKING_DIRECTORY "${TEST_WORKING_DIR}"
  TIMEOUT ${TEST_DISCOVERY_TIMEOUT}
  OUTPUT_VARIABLE output
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed (${result}):\n${output}")
endif()

set(long_tests)
if(EXISTS "${LONG_TESTS_FILE}")
  file(STRINGS "${LONG_TESTS_FILE}" cost_lines)
  foreach(line ${cost_lines})
    if(line STREQUAL "---")
      break()
    endif()
    string(REGEX REPLACE " .*" "" name "${line}")
    list(APPEND long_tests "${name}")
  endforeach()
endif()

# Test names and gtest filters hold no ';', '[' or ']' (gtest names are C++ identifiers, '/'
# and digits), so the listing splits into lines safely.
string(REPLACE ";" "" output "${output}")
string(REPLACE "\n" ";" lines "${output}")
set(suites)
set(suite)
foreach(line ${lines})
  if(line MATCHES "gtest_main\\.cc" OR line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^  ")
    # "Suite." or "Typed/0.  # TypeParam = int"
    string(REGEX REPLACE "\\.( *#.*)?$" "" suite "${line}")
    list(APPEND suites "${suite}")
    set(cases_${suite})
  else()
    # "  Case" or "  Case/0  # GetParam() = 1"
    string(STRIP "${line}" case)
    string(REGEX REPLACE " +#.*" "" case "${case}")
    list(APPEND cases_${suite} "${case}")
  endif()
endforeach()

set(script "")
macro(add_one name filter)
  string(APPEND script
         "add_test([==[${name}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${filter}]==])\n"
         "set_tests_properties([==[${name}]==] PROPERTIES WORKING_DIRECTORY [==[${TEST_WORKING_DIR}]==]"
         " ${properties})\n")
endmacro()

set(properties "")
foreach(p ${TEST_PROPERTIES})
  string(APPEND properties " [==[${p}]==]")
endforeach()

if(NOT CASES_PER_TEST)
  set(CASES_PER_TEST 40)
endif()
foreach(suite ${suites})
  set(excluded "")
  set(kept)
  foreach(case ${cases_${suite}})
    if("${suite}.${case}" IN_LIST long_tests OR CASES_PER_TEST EQUAL 1)
      add_one("${suite}.${case}" "${suite}.${case}")
      string(APPEND excluded ":${suite}.${case}")
    else()
      list(APPEND kept "${suite}.${case}")
    endif()
  endforeach()
  list(LENGTH kept n)
  if(n EQUAL 0)
    continue()
  elseif(n LESS_EQUAL CASES_PER_TEST)
    if(excluded)
      string(SUBSTRING "${excluded}" 1 -1 excluded)
      add_one("${suite}" "${suite}.*-${excluded}")
    else()
      add_one("${suite}" "${suite}.*")
    endif()
  else()
    # A large suite (a parameterised one over a directory of cases): Suite/1, Suite/2, ...
    # of CASES_PER_TEST cases each, so that it does not run as one long test at the end.
    set(part 0)
    while(kept)
      math(EXPR part "${part} + 1")
      set(chunk)
      foreach(i RANGE 1 ${CASES_PER_TEST})
        if(NOT kept)
          break()
        endif()
        list(POP_FRONT kept c)
        list(APPEND chunk "${c}")
      endforeach()
      string(REPLACE ";" ":" filter "${chunk}")
      add_one("${suite}/${part}" "${filter}")
    endwhile()
  endif()
endforeach()

file(WRITE "${CTEST_FILE}" "${script}")
