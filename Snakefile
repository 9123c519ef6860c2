# DLCV Fall 2023 HW2 as one workflow: data -> training -> sampling / prediction -> evaluation -> report.
# Default target: `all`. Presets and paths: config.yaml (validated by workflow/schemas/).
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"


rule all:
    default_target: True
    input:
        all_targets,
