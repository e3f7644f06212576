"""Siaga: the SDM Kesos training, JP, certificate and readiness system."""
