# Shared compile settings and helpers for Orbit targets.

add_library(orbit_options INTERFACE)
target_compile_options(orbit_options INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(ORBIT_SANITIZE)
  target_compile_options(orbit_options INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(orbit_options INTERFACE -fsanitize=address,undefined)
endif()
if(ORBIT_FUZZ)
  target_compile_options(orbit_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-omit-frame-pointer)
  target_link_options(orbit_options INTERFACE -fsanitize=address,undefined)
endif()

# Linking: lld (scripts/install-deps) instead of GNU ld when the compiler can drive it. The
# ASan test binaries are large; lld links them in less than half the CPU time (router_test:
# 3.2 s instead of 7.1 s). -DORBIT_LINKER=mold (or gold) picks another, "default" the compiler's.
set(ORBIT_LINKER "lld" CACHE STRING "Linker passed as -fuse-ld=: lld, mold, gold, or default")
if(NOT ORBIT_LINKER STREQUAL "default")
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=${ORBIT_LINKER}" ORBIT_LINKER_${ORBIT_LINKER}_WORKS)
  if(ORBIT_LINKER_${ORBIT_LINKER}_WORKS)
    add_link_options("-fuse-ld=${ORBIT_LINKER}")
  else()
    message(STATUS "-fuse-ld=${ORBIT_LINKER} does not work here: the compiler's default linker")
  endif()
endif()

# orbit_library(NAME name [DIRS src/a src/b] DEPS ...): a static library orbit::<name> from
# the *.cc files of DIRS (default src, not recursive), with public headers under ./include.
# Sources are globbed so that adding a file needs no CMake edit.
function(orbit_library)
  cmake_parse_arguments(ARG "" "NAME;DIR" "DIRS;DEPS;PRIVATE_DEPS" ${ARGN})
  if(ARG_DIR)
    list(APPEND ARG_DIRS ${ARG_DIR})
  endif()
  if(NOT ARG_DIRS)
    set(ARG_DIRS src)
  endif()
  set(srcs)
  foreach(dir ${ARG_DIRS})
    file(GLOB dir_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc)
    list(APPEND srcs ${dir_srcs})
  endforeach()
  if(NOT srcs)
    # A stage without sources yet: headers only.
    add_library(orbit_${ARG_NAME} INTERFACE)
    add_library(orbit::${ARG_NAME} ALIAS orbit_${ARG_NAME})
    target_include_directories(orbit_${ARG_NAME} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(orbit_${ARG_NAME} INTERFACE orbit_options ${ARG_DEPS})
    return()
  endif()
  add_library(orbit_${ARG_NAME} STATIC ${srcs})
  add_library(orbit::${ARG_NAME} ALIAS orbit_${ARG_NAME})
  target_include_directories(orbit_${ARG_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(orbit_${ARG_NAME} PUBLIC orbit_options ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# orbit_unit_tests(NAME name [DIR test/sub] DEPS ...): one gtest binary <name>_test from the
# *_test.cc files of DIR (default test, not recursive), registered with ctest.
function(orbit_unit_tests)
  cmake_parse_arguments(ARG "" "NAME;DIR" "DEPS" ${ARGN})
  if(NOT ORBIT_BUILD_TESTS)
    return()
  endif()
  if(NOT ARG_DIR)
    set(ARG_DIR test)
  endif()
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DIR}/*_test.cc)
  if(NOT srcs)
    return()
  endif()
  add_executable(${ARG_NAME}_test ${srcs})
  target_link_libraries(${ARG_NAME}_test PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${ARG_NAME}_test PRIVATE
                             ORBIT_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DIR}/data")
  orbit_discover_tests(${ARG_NAME}_test)
endfunction()

# orbit_discover_tests(target [CASES_PER_TEST n] [PROPERTIES name value ...]): registers the
# gtest binary's tests with ctest once it is linked (cmake/OrbitTestSuites.cmake), one ctest
# test per gtest suite, named after the suite, that runs the suite's cases in one process. A
# process per case, as gtest_discover_tests registers them, costs an ASan start and exit each
# (about 0.1 CPU s: graphql_validation_test's 336 cases take 37.2 CPU s one by one, 11.2 by
# suite). A suite of more than 40 cases is split into tests Suite/1, Suite/2, ... of 40; a case
# listed in cmake/test-costs.txt (a long one) is a test of its own under its full name,
# Suite.Case; CASES_PER_TEST 1 registers every case on its own (process-level tests, whose
# cases take seconds each). A failing case is named in its test's output ("[  FAILED  ]
# Suite.Case"); to run one case alone, run the binary with --gtest_filter=Suite.Case.
# PROPERTIES (a TIMEOUT, ...) apply to every test.
set(ORBIT_TEST_SUITES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/OrbitTestSuites.cmake)
function(orbit_discover_tests target)
  cmake_parse_arguments(ARG "" "CASES_PER_TEST" "PROPERTIES" ${ARGN})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites")
  add_custom_command(
    TARGET ${target} POST_BUILD
    BYPRODUCTS "${base}_tests.cmake"
    COMMAND "${CMAKE_COMMAND}" -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
            -D "TEST_WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR}"
            -D "TEST_PROPERTIES=${ARG_PROPERTIES}" -D "CTEST_FILE=${base}_tests.cmake"
            -D "LONG_TESTS_FILE=${CMAKE_SOURCE_DIR}/cmake/test-costs.txt"
            -D "TEST_DISCOVERY_TIMEOUT=60" -D "CASES_PER_TEST=${ARG_CASES_PER_TEST}"
            -P "${ORBIT_TEST_SUITES_SCRIPT}"
    VERBATIM)
  file(WRITE "${base}_include.cmake"
       "if(EXISTS \"${base}_tests.cmake\")\n"
       "  include(\"${base}_tests.cmake\")\n"
       "else()\n"
       "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${base}_include.cmake")
endfunction()

# Unity builds (-DCMAKE_UNITY_BUILD=ON, set by the dev preset): each target compiles its
# sources in batches of 8 per compiler run, so the headers they share are parsed once per batch
# instead of once per file. Files of one batch share a translation unit: two files of a target
# that define the same file-local name (a helper in an anonymous namespace, a constant) do not
# compile together ("redefinition of ... {anonymous}::..."). Such a file is listed in
# ORBIT_UNITY_ALONE and compiled on its own while the rest of its target is batched; a target
# whose files mostly clash is listed in ORBIT_NO_UNITY_BUILD and built file by file.
# orbit_unity_exceptions() applies both lists once every target exists.
set(ORBIT_NO_UNITY_BUILD
    orbit_controlplane          # json_response(), error_response(), ... in six of nine files
    orbit_federation            # quoted() in several files
    orbit_federation_compose
    cdn_test                    # kNow, kPath, ... in three of four files
    graphql_language_test       # printer_test's PrintTest fixture and others
    graphql_validation_test     # kRule in every rule's test (a precompiled header instead)
    net_test                    # echo() in two of five files
    registry_test               # kAccounts, Query in three of four files
)
set(ORBIT_UNITY_ALONE
    apps/cdn/src/fleet_file.cc                 # checked(), printable() (access_log.cc)
    apps/controlplane/test/usage_api_test.cc   # kAccounts, Answer (api_handler_test.cc)
    lib/config/src/artifact.cc                 # Reader (detail::Reader of the others)
    lib/config/test/telemetry_config_test.cc   # env_of() (managed_config_test.cc)
    lib/registry/src/registry.cc               # random_bytes() (password.cc)
    lib/registry/src/usage_store.cc            # after_id() (store.cc, user_store.cc)
    lib/registry/src/user_store.cc             # after_id(), make_page(), ... (store.cc)
    lib/registry/src/validation.cc             # trim(), invalid(), quoted() (postgres_store.cc, usage.cc)
    lib/router/test/managed_poller_test.cc     # kSupergraph, artifact() (config_reloader_test.cc)
    lib/router/test/prometheus_scrape_test.cc  # read_file() (access_log_test.cc)
    lib/router/test/router_metrics_test.cc     # read_file(), Subgraphs
    lib/router/test/tracing_observer_test.cc   # Subgraphs, sample_record()
    lib/router/test/usage_reporter_test.cc     # Subgraphs (request_observer_test.cc)
    lib/security/src/ed25519.cc                # invalid() (artifact_signature.cc)
    lib/telemetry/test/span_writer_test.cc     # trace_id(), resource() (otlp_encode_test.cc)
)
function(orbit_unity_exceptions)
  foreach(t ${ORBIT_NO_UNITY_BUILD})
    if(TARGET ${t})
      set_target_properties(${t} PROPERTIES UNITY_BUILD OFF)
    endif()
  endforeach()
  foreach(f ${ORBIT_UNITY_ALONE})
    # Source properties belong to the directory whose CMakeLists.txt made the target.
    get_filename_component(dir ${CMAKE_SOURCE_DIR}/${f} DIRECTORY)
    while(NOT EXISTS ${dir}/CMakeLists.txt AND NOT dir STREQUAL CMAKE_SOURCE_DIR)
      get_filename_component(dir ${dir} DIRECTORY)
    endwhile()
    set_source_files_properties(${CMAKE_SOURCE_DIR}/${f} DIRECTORY ${dir}
                                PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
endfunction()
