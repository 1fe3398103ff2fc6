"""Accounts, roles and the audit trail of 公开督导台 (DESIGN §9).

`accounts.store` reads and writes the account file (salted argon2 hashes, lockout state);
`accounts.audit` appends to the audit trail; `python -m accounts` manages accounts. Never imports
Streamlit, loaders or scoring.
"""
