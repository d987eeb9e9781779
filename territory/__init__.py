"""The territory, the portal's ground floor: Ambiti territoriali sociali, Comuni (ISTAT) and their population facts,
with the ISTAT file loaders and their commands. Imports no other app of the project."""
