"""Stage 4, the request: the prompt files, the reply schema, and a step's messages rendered under the token budget.

``_prompts`` loads and checks the TOML prompt files and the variables they use; ``_schema`` compiles
the strict JSON schema each step asks for; ``_tokens`` counts and trims tokens; ``_render`` turns a
situation into a step's chat messages.
"""

__all__: list[str] = []
