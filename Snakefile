# DLCV Fall 2023 HW2 as one workflow: data -> training -> sampling / prediction -> evaluation -> report.
# Default target: `all`. Presets and paths: config.yaml (validated by workflow/schemas/).
import sys

from snakemake.utils import min_version, validate

sys.path.insert(0, workflow.basedir)
from dlcv_hw2.config import check_config, merged_with_defaults

min_version("9.0")

# config.yaml beside this file is the base; --configfile files and --config values are merged over
# it key by key (a partial preset keeps the other keys), wherever the workflow runs (-d elsewhere too).
merged_with_defaults(config, f"{workflow.basedir}/config.yaml")
check_config(config, f"{workflow.basedir}/workflow/schemas/config.schema.yaml")  # one clear line
validate(config, "workflow/schemas/config.schema.yaml")  # fills in defaults


report: "report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/ddpm.smk"
include: "workflow/rules/ddim.smk"
include: "workflow/rules/dann.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_targets,
