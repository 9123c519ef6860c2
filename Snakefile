# DLCV Fall 2023 HW2 as one workflow: data -> training -> sampling / prediction -> evaluation -> report.
# Default target: `all`. Presets and paths: config.yaml (validated by workflow/schemas/).
import sys

from snakemake.utils import min_version, validate

sys.path.insert(0, workflow.basedir)
from dlcv_hw2.config import check_config

min_version("9.0")


configfile: "config.yaml"


check_config(config, f"{workflow.basedir}/workflow/schemas/config.schema.yaml")  # one clear line
validate(config, "workflow/schemas/config.schema.yaml")  # fills in defaults


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"


rule all:
    default_target: True
    input:
        all_targets,
