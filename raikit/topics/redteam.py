"""Red-teaming a generative model and guarding it (module 14): jailbreak attack success rates
with intervals, input and output guards and their false-refusal cost, indirect prompt injection
through a tool result, and green-list text watermarking with its z-test detector.
"""
