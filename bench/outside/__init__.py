"""An independent, labelled test world for distillguard.

Written without reference to distillguard's detector or simulator: populations of benign
users, legitimate look-alikes and distillation campaigns, designed from the field notes and
from how real API traffic behaves. ``python -m bench.outside --out DIR`` writes the raw API
log, the accounts file and the labels. See README.md in this folder.
"""
