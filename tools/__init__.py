"""Developer tools kept beside the package (never imported by `import livetimbre`)."""
