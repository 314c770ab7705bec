"""Stage 7, the batch: the same requests a live run sends, written for OpenAI's Batch API or vLLM's ``run_batch``,
and their answers checked and written out as kits.

``_inputs`` reads situations in bulk (a folder of files, or JSONL with a key per line); ``_prepare``
writes the request lines, split at the Batch API's limits, with the situations beside them;
``_results`` reads OpenAI's output and error files and vLLM's output file; ``_collect`` checks each
answer as the engine would and writes kits and failures; ``_batch`` is the workflow as library calls,
sending through the openai client's files and batches API.
"""

__all__: list[str] = []
