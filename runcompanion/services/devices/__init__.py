"""Treadmills and heart-rate straps: the FTMS/HRS clients, the bumble simulator, the bleak transport, belt control
and the figures a run records. Qt-free; every Bluetooth call runs on the one device thread (device_loop.py).
"""
