"""Jobs of SPEC §2: read → desired state → diff with what was sent → plan → apply → record.

Jobs talk only to the ``Erp`` and ``Shop`` protocols, the profile and the state store, so
each works for every ERP × shop pair.
"""
