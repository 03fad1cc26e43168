# The real-program benchmark set (bench/programs/): six WASI commands of our
# own, each built twice from the same source with the same compiler and flags:
# clang-19 -O2 -ffp-contract=off, once for wasm32-wasi against wasi-libc and
# once natively against glibc. The wasm side is compiled with -c and linked
# without -O, so clang's link step does not run wasm-opt on it: neither side
# gets a post-link optimiser, and the binaries are the kind a -O2 build with
# DWARF gives (wasm-opt would drop DWARF). Included from bench/CMakeLists.txt,
# which then passes BENCH_PROGRAMS and BENCH_PROGRAM_DIR to interp_bench.

set(BENCH_PROGRAMS scriptvm minidb lzhuff jsondom coremix reqserver)
set(BENCH_PROGRAM_CFLAGS -O2 -ffp-contract=off)
set(BENCH_PROGRAM_DIR "${CMAKE_CURRENT_BINARY_DIR}/programs")
file(MAKE_DIRECTORY "${BENCH_PROGRAM_DIR}")

set(programOutputs)
foreach(program IN LISTS BENCH_PROGRAMS)
  set(source "${CMAKE_CURRENT_SOURCE_DIR}/programs/${program}.c")
  set(header "${CMAKE_CURRENT_SOURCE_DIR}/programs/program.h")
  set(object "${BENCH_PROGRAM_DIR}/${program}.wasm.o")
  set(wasm "${BENCH_PROGRAM_DIR}/${program}.wasm")
  set(native "${BENCH_PROGRAM_DIR}/${program}")
  add_custom_command(
    OUTPUT "${wasm}"
    COMMAND "${WASM_CLANG}" --target=wasm32-wasi ${BENCH_PROGRAM_CFLAGS} -c -o "${object}" "${source}"
    COMMAND "${WASM_CLANG}" --target=wasm32-wasi -o "${wasm}" "${object}"
    DEPENDS "${source}" "${header}"
    COMMENT "Compiling benchmark program ${program}.wasm"
    VERBATIM)
  add_custom_command(
    OUTPUT "${native}"
    COMMAND "${WASM_CLANG}" ${BENCH_PROGRAM_CFLAGS} -o "${native}" "${source}"
    DEPENDS "${source}" "${header}"
    COMMENT "Compiling benchmark program ${program} natively with clang-19"
    VERBATIM)
  list(APPEND programOutputs "${wasm}" "${native}")
endforeach()
add_custom_target(bench_programs ALL DEPENDS ${programOutputs})

# opcode_stats: instruction and instruction-pair frequencies on these
# programs, through the runtime's public global probe. Prints figures.
add_executable(opcode_stats opcode_stats.cpp)
target_link_libraries(opcode_stats PRIVATE runtime)
add_dependencies(opcode_stats bench_programs)
if(WASMSCOPE_BUILD_TESTS)
  # The tool on one small program: it exits 1 when any executed step cannot
  # be mapped back to an internal instruction consistently.
  add_test(NAME bench_opcode_stats
           COMMAND opcode_stats --top 5 "${BENCH_PROGRAM_DIR}/coremix.wasm:small")
  set_tests_properties(bench_opcode_stats PROPERTIES TIMEOUT 120 LABELS "bench"
                       PASS_REGULAR_EXPRESSION "instructions executed, [0-9]+ fall-through pairs, 0 unattributable steps")
endif()
