# lit configuration for cmnet: every .cmnet (and .test) file under tests/ is a test.
import os
import lit.formats

config.name = "cmnet"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cmnet", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cmnet_obj_root, "tests")
config.excludes = ["unit", "kernel", "Inputs", "lit.cfg.py", "lit.site.cfg.py.in", "catalog_truth"]

config.substitutions.append(("%cmnetc", os.path.join(config.cmnet_bin_dir, "cmnetc")))
config.substitutions.append(("%stdlib", os.path.join(config.cmnet_src_root, "stdlib")))
config.substitutions.append(("%examples", os.path.join(config.cmnet_src_root, "examples")))
config.substitutions.append(("%srcroot", config.cmnet_src_root))
config.substitutions.append(("FileCheck", config.filecheck))
config.substitutions.append(("%not", config.not_tool))
config.environment["PATH"] = os.pathsep.join([config.cmnet_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])

# The benchmark tools are built unless -DCMNET_BENCH=OFF (the sanitizer builds).
if os.path.exists(os.path.join(config.cmnet_bin_dir, "cmnet_write_floor")):
    config.available_features.add("bench")
