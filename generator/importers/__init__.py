"""Importers that turn official data releases into dataset documents."""
