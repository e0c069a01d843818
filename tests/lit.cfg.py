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

# A small tmpfs in a mount namespace of the test's own stands in for a full disk
# (tests/driver/output_full_disk.test); that needs root and unshare.
def _can_mount_tmpfs():
    import subprocess
    try:
        return subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


if _can_mount_tmpfs():
    config.available_features.add("small-disk")
