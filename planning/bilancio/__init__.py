"""The plan's money (issue 14): fund allocations, budget lines, commitments and payments, the Comuni's shares."""
