"""Config validation with one clear message naming the offending key."""
import jsonschema
import yaml


class ConfigError(ValueError):
    pass


def check_config(config: dict, schema_path: str) -> None:
    """Raise ConfigError('config key a.b.c: <problem>') for the most relevant schema violation."""
    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"invalid config key {where}: {error.message}")
