"""Config validation with one clear message naming the offending key."""
import jsonschema
import yaml


class ConfigError(ValueError):
    pass


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def merged_with_defaults(config: dict, defaults_path: str) -> None:
    """Merge ``config`` (what the user gave) over the defaults file, in place."""
    with open(defaults_path, encoding="utf-8") as f:
        defaults = yaml.safe_load(f)
    merged = deep_merge(defaults, config)
    config.clear()
    config.update(merged)


def check_config(config: dict, schema_path: str) -> None:
    """Raise ConfigError('config key a.b.c: <problem>') for the most relevant schema violation."""
    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"invalid config key {where}: {error.message}")
