"""The portal crawler behind `python -m loaders pull` (issue #15, DESIGN §8).

`pull.pull_entries` runs every registry entry; `run.crawl_column` follows one column through
its pagination (`listing`), reads each article (`article`), resolves its item (`items`,
`classify` over data/title_rules.toml) and records drift; `fetcher.Fetcher` is the polite,
resumable HTTP side; `report` holds the read functions the pages show. Never imports Streamlit.
"""
