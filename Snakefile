# DLCV Fall 2023 HW2 as one workflow: data -> training -> sampling / prediction -> evaluation -> report.
# Default target: `all`. Every setting is defined in dlcv_hw2/config.schema.yaml; config.yaml holds
# the presets (what each changes from the defaults).
from snakemake.utils import min_version

from dlcv_hw2.settings import resolve_config

min_version("9.0")

# The schema's defaults, then config.yaml beside this file, then --configfile files and --config values,
# merged key by key (a partial preset keeps the other keys), wherever the workflow runs (-d elsewhere
# too); a wrong key or value stops here with one line naming it.
resolve_config(config, f"{workflow.basedir}/config.yaml")


report: "report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/ddpm.smk"
include: "workflow/rules/acgan.smk"
include: "workflow/rules/ddim.smk"
include: "workflow/rules/dann.smk"
include: "workflow/rules/face_gan.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_targets,
