"""Spiders. Every source in config/sources.yaml gets the generic ConfiguredSpider;
a module here defines a class named like a source only where a site needs code."""
