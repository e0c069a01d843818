# cmnet_bench: Google Benchmark over every stage (bench/CmnetBench.cpp; bench/run.sh drives it).
find_package(benchmark REQUIRED)
add_executable(cmnet_bench ${CMAKE_CURRENT_LIST_DIR}/CmnetBench.cpp)
target_link_libraries(cmnet_bench PRIVATE cmnet_frontend cmnet_passes cmnet_backends benchmark::benchmark)
