"""Ingestion: gazette text -> documents, clauses and policy items (parse, repair, split).

Everything here works on plain strings; writing goes through ``zhengcetong.library.service``.
"""
