"""Quarterly monitoring of the Piano di Zona (seed 001, «Monitoraggio e valutazione»): one snapshot per plan and
quarter with each action's state and each indicator's measured value. Separate from the SOSE schede."""
