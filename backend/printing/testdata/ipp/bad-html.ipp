<!DOCTYPE html><html><body>Printer setup</body></html>
