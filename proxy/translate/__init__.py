"""Pure translations between OpenAI's chat completions and other APIs' wire formats."""
