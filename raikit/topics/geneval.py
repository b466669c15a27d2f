"""Evaluating a generative model's answers (module 13): hallucination against the kit
assistant's knowledge base by how often each fact was seen in training, answer confidence
from token log-probabilities, selective answering, grounding by retrieval, prompt sensitivity.
"""
