# cmnet_bench: Google Benchmark over every stage (bench/CmnetBench.cpp; bench/run.sh drives it).
find_package(benchmark REQUIRED)
add_executable(cmnet_bench ${CMAKE_CURRENT_LIST_DIR}/CmnetBench.cpp)
target_link_libraries(cmnet_bench PRIVATE cmnet_frontend cmnet_passes cmnet_backends cmnet_doc cmnet_targets benchmark::benchmark)
# cmnet_write_floor: the system's own time to create a build's output (docs/performance.md).
add_executable(cmnet_write_floor ${CMAKE_CURRENT_LIST_DIR}/WriteFloor.cpp)
find_package(Threads REQUIRED)
target_link_libraries(cmnet_write_floor PRIVATE ${CMNET_LLVM_LIBS} Threads::Threads)
