"""Planning: prompts and session context → ThemeDescriptors and clip plans (Timbre §3)."""
