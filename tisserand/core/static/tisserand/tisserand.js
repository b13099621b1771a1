// filled by the picker component
